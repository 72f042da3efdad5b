// Names and states that the admin's third-party widgets leave out, for screen readers (WCAG 4.1.2).
//
// Select2 (the admin's autocomplete fields) names its combobox by the chosen value only, and its
// search box not at all: both get the field's label (and its list, only list items). The story editor's toolbar buttons hold an
// icon font's ligature ("format_bold") as text beside their name ("bold"): the icon is drawn from
// an attribute instead, and a button the editor greys out is announced as unavailable.
"use strict";

(function () {
  let labelCount = 0;

  function labelId(select, container) {
    const label = select.id && document.querySelector(`label[for="${CSS.escape(select.id)}"]`);
    const text = label ? null : select.getAttribute("aria-label");
    if (!label && !text) return null;
    let element = label;
    if (!element) {
      // A row of a table of inlines: no <label>, the column's name is on the field (see admin.py).
      element = document.createElement("span");
      element.hidden = true;
      element.textContent = text;
      container.after(element);
    }
    if (!element.id) element.id = `a11y-label-${++labelCount}`;
    return element.id;
  }

  function nameSelect2(container) {
    const select = container.previousElementSibling;
    if (!select || select.tagName !== "SELECT" || container.dataset.a11yNamed) return;
    const id = labelId(select, container);
    if (!id) return;
    container.dataset.a11yNamed = "true";
    const combobox = container.querySelector('[role="combobox"]');
    const shown = combobox && combobox.getAttribute("aria-labelledby");
    if (combobox) combobox.setAttribute("aria-labelledby", shown ? `${id} ${shown}` : id);
    const rendered = container.querySelector('.select2-selection__rendered[role="textbox"]');
    if (rendered) rendered.setAttribute("aria-labelledby", id);
    const search = container.querySelector(".select2-search__field");
    if (search) search.setAttribute("aria-labelledby", id);
  }

  function fixToolbarButton(button) {
    for (const node of [...button.childNodes]) {
      if (node.nodeType === Node.TEXT_NODE && node.textContent.trim()) {
        // Drawn by CSS from the attribute (admin.css): a picture, not text that contradicts the name.
        button.dataset.icon = node.textContent.trim();
        node.remove();
      }
    }
    button.setAttribute("aria-disabled", button.classList.contains("disabled") ? "true" : "false");
  }

  function wrapClearButton(clear) {
    // Select2 puts a multiple choice's "remove all" straight into its <ul>: an item of its own instead.
    const item = document.createElement("li");
    item.className = "select2-selection__clear-item";
    clear.replaceWith(item);
    item.append(clear);
  }

  // The root itself as well as what it holds: an added Select2 container is often the node added.
  function within(root, selector) {
    const found = [...root.querySelectorAll(selector)];
    return root.matches && root.matches(selector) ? [root, ...found] : found;
  }

  function fix(root) {
    within(root, ".select2-container").forEach(nameSelect2);
    within(root, "ul.select2-selection__rendered > .select2-selection__clear").forEach(wrapClearButton);
    within(root, ".prose-menubar__button").forEach(fixToolbarButton);
  }

  function start() {
    fix(document);
    new MutationObserver((changes) => {
      // Each added subtree is looked through once per batch, however many nodes a widget added at once.
      const added = new Set();
      for (const change of changes) {
        if (change.type === "attributes") {
          if (change.target.classList.contains("prose-menubar__button")) fixToolbarButton(change.target);
        } else {
          for (const node of change.addedNodes) {
            if (node.nodeType === Node.ELEMENT_NODE && node.isConnected) added.add(node);
          }
        }
      }
      for (const node of added) {
        if (![...added].some((other) => other !== node && other.contains(node))) fix(node);
      }
    }).observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ["class"] });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
