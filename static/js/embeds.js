/* Third-party embeds load only when the reader asks: until then a story page
   sends nothing to YouTube, X and the rest. Without JavaScript each embed
   stays a plain link to the original. */
(function () {
  "use strict";

  var SANDBOX = "allow-scripts allow-same-origin allow-popups allow-presentation";
  var ALLOW = "fullscreen; picture-in-picture; encrypted-media";

  function load(figure, button) {
    var frame = document.createElement("iframe");
    frame.src = figure.dataset.player;
    frame.title = figure.dataset.title;
    frame.setAttribute("sandbox", SANDBOX);
    frame.setAttribute("allow", ALLOW);
    frame.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
    frame.setAttribute("loading", "lazy");
    frame.className = "embed__frame";
    button.replaceWith(frame);
    figure.classList.add("embed--loaded");
    frame.focus();
  }

  document.querySelectorAll(".embed[data-player]").forEach(function (figure) {
    var link = figure.querySelector(".embed__link");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "embed__load";
    button.textContent = figure.dataset.loadLabel;
    button.addEventListener("click", function () { load(figure, button); });
    figure.insertBefore(button, link);
  });
})();
