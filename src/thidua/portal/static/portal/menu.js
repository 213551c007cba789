// The portal's menu on a phone: folded behind a "Danh mục" button (its CSS only folds it
// below 768 px, once this script has shown the button). Without JavaScript the whole menu
// shows, as it always did.
(function () {
  "use strict";
  var nav = document.querySelector(".portal-nav");
  var button = document.getElementById("portal-menu-toggle");
  if (!nav || !button) { return; }
  nav.classList.add("has-menu");
  button.hidden = false;
  button.addEventListener("click", function () {
    var open = nav.classList.toggle("is-open");
    button.setAttribute("aria-expanded", open ? "true" : "false");
  });
}());
