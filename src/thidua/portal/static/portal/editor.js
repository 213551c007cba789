// Rich-text editing for textareas marked data-rich-text, with pell (vendored). The textarea
// stays the form field: the editor writes its HTML back on every change. The server
// sanitises the HTML on save (nh3), so the editor is a convenience, not a safety measure.
(function () {
  "use strict";
  if (!window.pell) { return; }
  var actions = [
    { name: "bold", title: "Chữ đậm" },
    { name: "italic", title: "Chữ nghiêng" },
    { name: "underline", title: "Gạch chân" },
    { name: "heading2", icon: "<b>H2</b>", title: "Đề mục lớn", result: function () { return window.pell.exec("formatBlock", "<h2>"); } },
    { name: "heading3", icon: "<b>H3</b>", title: "Đề mục nhỏ", result: function () { return window.pell.exec("formatBlock", "<h3>"); } },
    { name: "paragraph", title: "Đoạn văn" },
    { name: "quote", title: "Trích dẫn" },
    { name: "olist", title: "Danh sách đánh số" },
    { name: "ulist", title: "Danh sách" },
    { name: "link", icon: "Liên kết", title: "Chèn liên kết", result: function () {
      var url = window.prompt("Địa chỉ liên kết (https://…)");
      if (url) { window.pell.exec("createLink", url); }
    } }
  ];
  document.querySelectorAll("textarea[data-rich-text]").forEach(function (textarea) {
    var holder = document.createElement("div");
    holder.className = "pell rich-editor";
    textarea.parentNode.insertBefore(holder, textarea.nextSibling);
    var editor = window.pell.init({
      element: holder,
      defaultParagraphSeparator: "p",
      actions: actions,
      onChange: function (html) { textarea.value = html; }
    });
    editor.content.innerHTML = textarea.value;
    editor.content.setAttribute("role", "textbox");
    editor.content.setAttribute("aria-multiline", "true");
    var label = document.querySelector("label[for='" + textarea.id + "']");
    if (label) {
      label.id = label.id || textarea.id + "-label";
      editor.content.setAttribute("aria-labelledby", label.id);
      label.addEventListener("click", function () { editor.content.focus(); });
    }
    holder.querySelectorAll("button").forEach(function (b) { b.setAttribute("aria-label", b.title); });
    textarea.classList.add("d-none");
  });
})();
