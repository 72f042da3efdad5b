// The search filters are folded by default, so that on a phone the first result shows on the first
// screen; from the width in data-open-from up there is room, and they open. Without JavaScript they
// stay folded and open with a tap on their summary.
"use strict";
document.querySelectorAll("details[data-open-from]").forEach(function (details) {
  if (window.matchMedia("(min-width: " + details.dataset.openFrom + ")").matches) {
    details.open = true;
  }
});
