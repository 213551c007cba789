// Full-screen photo viewer for the online exhibition: a native <dialog> (focus stays inside,
// Esc closes), arrow keys and swipes move between photos. Without JavaScript the thumbnails
// link to the full-size photos.
(function () {
  "use strict";
  var dialog = document.getElementById("viewer");
  var links = Array.prototype.slice.call(document.querySelectorAll("#gallery .photo-link"));
  if (!dialog || !links.length || typeof dialog.showModal !== "function") { return; }
  var img = document.getElementById("viewer-img");
  var caption = document.getElementById("viewer-caption");
  var index = 0;
  var opener = null;

  function show(i) {
    index = (i + links.length) % links.length;
    var link = links[index];
    img.src = window.innerWidth > 1000 ? link.href : link.dataset.medium;
    img.alt = link.dataset.alt || "";
    var meta = link.dataset.meta ? " — " + link.dataset.meta.replace(/^ · /, "") : "";
    caption.textContent = (index + 1) + "/" + links.length + ": " + link.dataset.caption + meta;
  }
  function open(i) {
    opener = links[i];
    show(i);
    dialog.showModal();
    document.getElementById("viewer-next").focus();
  }
  links.forEach(function (link, i) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      open(i);
    });
  });
  document.getElementById("viewer-prev").addEventListener("click", function () { show(index - 1); });
  document.getElementById("viewer-next").addEventListener("click", function () { show(index + 1); });
  document.getElementById("viewer-close").addEventListener("click", function () { dialog.close(); });
  dialog.addEventListener("close", function () { if (opener) { opener.focus(); } });
  dialog.addEventListener("keydown", function (event) {
    if (event.key === "ArrowRight") { show(index + 1); event.preventDefault(); }
    if (event.key === "ArrowLeft") { show(index - 1); event.preventDefault(); }
  });
  var startX = null;
  var startY = null;
  dialog.addEventListener("touchstart", function (event) {
    startX = event.changedTouches[0].clientX;
    startY = event.changedTouches[0].clientY;
  }, { passive: true });
  dialog.addEventListener("touchend", function (event) {
    if (startX === null) { return; }
    var dx = event.changedTouches[0].clientX - startX;
    var dy = event.changedTouches[0].clientY - startY;
    if (Math.abs(dx) > 40 && Math.abs(dx) > Math.abs(dy)) { show(dx < 0 ? index + 1 : index - 1); }
    startX = null;
  }, { passive: true });
})();
