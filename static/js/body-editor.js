/* A small formatting toolbar for the story body in the admin.
   Without JavaScript editors still type HTML; this only saves keystrokes. */
(function () {
  "use strict";

  var BUTTONS = [
    { label: "¶", title: "Paragraph", before: "<p>", after: "</p>" },
    { label: "H2", title: "Sub-head", before: "<h2>", after: "</h2>" },
    { label: "H3", title: "Minor sub-head", before: "<h3>", after: "</h3>" },
    { label: "B", title: "Bold", before: "<strong>", after: "</strong>" },
    { label: "I", title: "Italic", before: "<em>", after: "</em>" },
    { label: "“ ”", title: "Block quote", before: "<blockquote><p>", after: "</p></blockquote>" },
    { label: "• List", title: "Bulleted list", before: "<ul>\n<li>", after: "</li>\n</ul>" },
    { label: "1. List", title: "Numbered list", before: "<ol>\n<li>", after: "</li>\n</ol>" },
    { label: "Link", title: "Link", link: true }
  ];

  function wrap(textarea, before, after) {
    var start = textarea.selectionStart, end = textarea.selectionEnd;
    var value = textarea.value, selected = value.slice(start, end);
    textarea.value = value.slice(0, start) + before + selected + after + value.slice(end);
    textarea.focus();
    textarea.setSelectionRange(start + before.length, start + before.length + selected.length);
    textarea.dispatchEvent(new Event("input"));
  }

  function countWords(textarea, output) {
    var text = textarea.value.replace(/<[^>]*>/g, " ").trim();
    var words = text ? text.split(/\s+/).length : 0;
    output.textContent = words + (words === 1 ? " word" : " words") + ", about " + Math.max(1, Math.round(words / 230)) + " min read";
  }

  function enhance(textarea) {
    var bar = document.createElement("div");
    bar.className = "body-toolbar";
    bar.setAttribute("role", "toolbar");
    bar.setAttribute("aria-label", "Format the body");
    BUTTONS.forEach(function (spec) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = spec.label;
      button.title = spec.title;
      button.addEventListener("click", function () {
        if (spec.link) {
          var url = window.prompt("Link address (https://…)");
          if (!url) { return; }
          var anchor = document.createElement("a");
          anchor.href = url;
          if (["http:", "https:", "mailto:"].indexOf(anchor.protocol) === -1) {
            window.alert("Only http, https and mailto links are kept.");
            return;
          }
          wrap(textarea, '<a href="' + url.replace(/"/g, "&quot;") + '">', "</a>");
        } else {
          wrap(textarea, spec.before, spec.after);
        }
      });
      bar.appendChild(button);
    });
    var counter = document.createElement("p");
    counter.className = "body-toolbar__count help";
    counter.setAttribute("aria-live", "polite");
    textarea.parentNode.insertBefore(bar, textarea);
    textarea.parentNode.insertBefore(counter, textarea.nextSibling);
    textarea.addEventListener("input", function () { countWords(textarea, counter); });
    countWords(textarea, counter);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var body = document.getElementById("id_body");
    if (body) { enhance(body); }
  });
})();
