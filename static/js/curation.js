// Front-page curation in the admin: drag the placed stories into order, or
// move one with its Up and Down buttons (keyboard users too). Either way the
// position fields, which work without JavaScript, are renumbered 1, 2, 3…
// in the order shown (when the editor moved a row; typed numbers count
// otherwise), so Save stores what the editor sees.
// The admin loads it in the head: wait for the form.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var group = document.querySelector(".inline-group[id^='placements']");
  if (!group) return;
  var body = group.querySelector("tbody");
  var dragged = null;
  var moved = false;

  function rows() {
    return Array.prototype.filter.call(body.querySelectorAll("tr.form-row"), function (row) {
      return !row.classList.contains("empty-form");
    });
  }

  function chosen(row) {
    var story = row.querySelector("select[name$='-article']");
    return story && story.value;
  }

  function renumber() {
    var position = 0;
    moved = true;
    rows().forEach(function (row) {
      var field = row.querySelector("input[name$='-position']");
      if (field && chosen(row)) field.value = ++position;
    });
  }

  // The texts come from each row's position field (data-text-*), in the site's language.
  function text(row, name) {
    var field = row.querySelector("input[name$='-position']");
    return (field && field.getAttribute("data-text-" + name)) || "";
  }

  function button(label, step, row) {
    var control = document.createElement("button");
    control.type = "button";
    control.className = "curation-move";
    control.textContent = label;
    control.addEventListener("click", function () {
      var all = rows();
      var target = all[all.indexOf(row) + step];
      if (!target) return;
      body.insertBefore(row, step < 0 ? target : target.nextSibling);
      renumber();
      control.focus();
    });
    return control;
  }

  rows().forEach(function (row) {
    row.draggable = true;
    row.classList.add("curation-row");
    var cell = row.querySelector("td.field-position") || row.lastElementChild;
    var headline = function () {
      var story = row.querySelector("select[name$='-article']");
      return story && story.selectedOptions.length ? story.selectedOptions[0].textContent : text(row, "this-row");
    };
    var up = button(text(row, "up"), -1, row);
    var down = button(text(row, "down"), 1, row);
    up.setAttribute("aria-label", text(row, "move-up").replace("{headline}", headline()));
    down.setAttribute("aria-label", text(row, "move-down").replace("{headline}", headline()));
    cell.appendChild(up);
    cell.appendChild(down);
    row.addEventListener("dragstart", function (event) {
      dragged = row;
      row.classList.add("curation-row--dragged");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", "");
    });
    row.addEventListener("dragend", function () {
      row.classList.remove("curation-row--dragged");
      dragged = null;
    });
    row.addEventListener("dragover", function (event) {
      if (!dragged || dragged === row) return;
      event.preventDefault();
      var box = row.getBoundingClientRect();
      body.insertBefore(dragged, event.clientY < box.top + box.height / 2 ? row : row.nextSibling);
    });
    row.addEventListener("drop", function (event) {
      event.preventDefault();
      renumber();
    });
  });
  // The story pickers (select2) of a table row have no label of their own: name them once they are built.
  window.addEventListener("load", function () {
    rows().forEach(function (row, index) {
      var name = text(row, "slot").replace("{number}", index + 1);
      Array.prototype.forEach.call(row.querySelectorAll(".select2-selection, .select2-selection__rendered"), function (box) {
        if (!box.getAttribute("aria-label")) box.setAttribute("aria-label", name);
      });
    });
  });
  group.closest("form").addEventListener("submit", function () {
    if (moved) renumber();
  });
});
