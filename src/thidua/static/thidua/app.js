// Small behaviours without inline script (strict CSP).
document.addEventListener("DOMContentLoaded", () => {
  // <button data-confirm="..."> asks before submitting.
  document.body.addEventListener("click", (event) => {
    const el = event.target.closest("[data-confirm]");
    if (el && !window.confirm(el.dataset.confirm)) {
      event.preventDefault();
    }
  });
});
