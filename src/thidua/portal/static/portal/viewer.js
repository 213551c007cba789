// Full-screen photo viewer for the online exhibition: a native <dialog> (focus stays inside,
// Esc closes), arrow keys and swipes move between photos. Without JavaScript the thumbnails
// link to the full-size photos. A long album is paged: past the last photo of a page the
// viewer goes on to the next page (#xem-dau opens it on its first photo, #xem-cuoi on its last,
// going back); #anh-<pk> opens it on that photo.
(function () {
  "use strict";
  var dialog = document.getElementById("viewer");
  var links = Array.prototype.slice.call(document.querySelectorAll("#gallery .photo-link"));
  if (!dialog || !links.length || typeof dialog.showModal !== "function") { return; }
  var gallery = document.getElementById("gallery");
  var offset = parseInt(gallery.dataset.offset || "0", 10);
  var total = parseInt(gallery.dataset.total || String(links.length), 10);
  var img = document.getElementById("viewer-img");
  var caption = document.getElementById("viewer-caption");
  var index = 0;
  var opener = null;

  function show(i) {
    // Beyond this page's photos: the next (or previous) page, the viewer open there.
    var away = i >= links.length ? gallery.dataset.next : (i < 0 ? gallery.dataset.prev : null);
    if (away) {
      window.location.assign(away);
      return;
    }
    index = (i + links.length) % links.length;
    var link = links[index];
    img.src = window.innerWidth > 1000 ? link.href : link.dataset.medium;
    img.alt = link.dataset.alt || "";
    var meta = link.dataset.meta ? " — " + link.dataset.meta.replace(/^ · /, "") : "";
    caption.textContent = (offset + index + 1) + "/" + total + ": " + link.dataset.caption + meta;
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
  dialog.addEventListener("close", function () {
    if (/^#(xem-|anh-)/.test(window.location.hash) && window.history.replaceState) {
      // closed: a reload or a shared link shows the page, not the viewer
      window.history.replaceState(null, "", window.location.pathname + window.location.search);
    }
    if (opener) { opener.focus(); }
  });
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
  var hash = window.location.hash;
  if (hash === "#xem-dau") { open(0); }
  else if (hash === "#xem-cuoi") { open(links.length - 1); }
  else if (/^#anh-\d+$/.test(hash)) {
    var item = document.getElementById(hash.slice(1));
    var at = item ? links.indexOf(item.querySelector(".photo-link")) : -1;
    if (at >= 0) { open(at); }
  }
})();
