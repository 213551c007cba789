// Small behaviours without inline script (strict CSP).
document.addEventListener("DOMContentLoaded", () => {
  // <button data-confirm="..."> asks before submitting.
  document.body.addEventListener("click", (event) => {
    const el = event.target.closest("[data-confirm]");
    if (el && !window.confirm(el.dataset.confirm)) {
      event.preventDefault();
    }
  });

  // Formsets: <button data-formset-add="prefix"> adds a row from <template id="prefix-empty">
  // without a round trip to the server.
  document.body.addEventListener("click", (event) => {
    const button = event.target.closest("[data-formset-add]");
    if (!button) return;
    const prefix = button.dataset.formsetAdd;
    const total = document.getElementById(`id_${prefix}-TOTAL_FORMS`);
    const template = document.getElementById(`${prefix}-empty`);
    const rows = document.getElementById(`${prefix}-rows`);
    if (!total || !template || !rows) return;
    const index = Number(total.value);
    const holder = document.createElement("div");
    holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index));
    const row = holder.firstElementChild;
    rows.appendChild(row);
    total.value = String(index + 1);
    const first = row.querySelector("input:not([type=hidden]), select, textarea");
    if (first) first.focus();
  });

  document.querySelectorAll("select[data-unit-picker]").forEach(unitPicker);

  // Forms marked data-keep-place come back where the reader was after saving; after an
  // error, at the first field to fix.
  document.querySelectorAll("form[data-keep-place]").forEach((form) => {
    const key = `place:${window.location.pathname}`;
    form.addEventListener("submit", () => sessionStorage.setItem(key, String(window.scrollY)));
    const invalid = form.querySelector(".is-invalid, .invalid-feedback, .alert-danger");
    const stored = sessionStorage.getItem(key);
    sessionStorage.removeItem(key);
    if ("scrollRestoration" in history) history.scrollRestoration = "manual";
    const restore = () => {
      if (invalid) {
        invalid.scrollIntoView({ block: "center" });
      } else if (stored !== null) {
        window.scrollTo(0, Number(stored));
      }
    };
    restore();
    // Again once fonts, the preview and the pickers have their final size.
    window.addEventListener("load", () => setTimeout(restore, 0), { once: true });
  });
});

// Accent-insensitive text: "Đông Ngàn" → "dong ngan" (as core.text.fold on the server).
function fold(text) {
  return text
    .replace(/đ/g, "d")
    .replace(/Đ/g, "D")
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim();
}

// A <select multiple data-unit-picker> (options grouped by level in <optgroup>s) becomes a
// searchable list of check boxes: search with or without accents, select or clear every
// shown unit of a level at once. The select stays in the form and carries the value.
function unitPicker(select) {
  const picker = document.createElement("div");
  picker.className = "unit-picker border rounded p-2";
  const search = document.createElement("input");
  search.type = "search";
  search.className = "form-control form-control-sm mb-2";
  search.placeholder = "Tìm đơn vị, có hoặc không dấu";
  search.setAttribute("aria-label", "Tìm đơn vị (có hoặc không dấu)");
  const status = document.createElement("div");
  status.className = "small text-secondary mb-1";
  status.setAttribute("aria-live", "polite");
  const list = document.createElement("div");
  list.className = "unit-picker-list";
  list.tabIndex = 0;
  list.setAttribute("role", "group");
  list.setAttribute("aria-label", "Danh sách đơn vị theo cấp");
  picker.append(search, status, list);

  const items = [];
  const groups = [];
  const sources = select.querySelectorAll("optgroup").length
    ? Array.from(select.querySelectorAll("optgroup"))
    : [select];
  sources.forEach((source, g) => {
    const fieldset = document.createElement("fieldset");
    fieldset.className = "mb-2";
    const legend = document.createElement("legend");
    legend.className = "fs-6 fw-semibold d-flex flex-wrap gap-2 align-items-center mb-1";
    const name = document.createElement("span");
    name.textContent = source.label || "Đơn vị";
    const all = document.createElement("button");
    all.type = "button";
    all.className = "btn btn-link btn-sm p-0";
    all.textContent = "Chọn cả nhóm";
    const none = document.createElement("button");
    none.type = "button";
    none.className = "btn btn-link btn-sm p-0";
    none.textContent = "Bỏ chọn nhóm";
    legend.append(name, all, none);
    fieldset.append(legend);
    const own = [];
    Array.from(source.querySelectorAll("option")).forEach((option, i) => {
      const id = `${select.id}-pick-${g}-${i}`;
      const wrap = document.createElement("div");
      wrap.className = "form-check";
      const box = document.createElement("input");
      box.type = "checkbox";
      box.className = "form-check-input";
      box.id = id;
      box.checked = option.selected;
      const label = document.createElement("label");
      label.className = "form-check-label";
      label.htmlFor = id;
      label.textContent = option.textContent;
      wrap.append(box, label);
      fieldset.append(wrap);
      box.addEventListener("change", () => {
        option.selected = box.checked;
        update();
      });
      const item = { option, box, wrap, key: fold(option.textContent) };
      own.push(item);
      items.push(item);
    });
    const setShown = (value) => {
      own.filter((item) => !item.wrap.hidden).forEach((item) => {
        item.box.checked = value;
        item.option.selected = value;
      });
      update();
    };
    all.addEventListener("click", () => setShown(true));
    none.addEventListener("click", () => setShown(false));
    groups.push({ fieldset, own, name: source.label || "Đơn vị" });
    list.append(fieldset);
  });

  function update() {
    const chosen = items.filter((item) => item.option.selected).length;
    status.textContent = `Đã chọn ${chosen}/${items.length} đơn vị`;
  }

  search.addEventListener("input", () => {
    const query = fold(search.value);
    items.forEach((item) => {
      item.wrap.hidden = Boolean(query) && !item.key.includes(query);
    });
    groups.forEach((group) => {
      group.fieldset.hidden = group.own.every((item) => item.wrap.hidden);
    });
  });
  // Enter in the search box must not submit the whole form.
  search.addEventListener("keydown", (event) => {
    if (event.key === "Enter") event.preventDefault();
  });

  select.removeAttribute("required");
  select.classList.add("d-none");
  select.after(picker);
  update();
}
