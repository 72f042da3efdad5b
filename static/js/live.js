// Live coverage, enhanced. Without JavaScript a reload shows new updates.
// With it, the page asks the story's updates.json (a public, cached answer)
// for the updates after the newest it shows, every data-poll-seconds while
// the tab is visible, puts them on top of the list and says how many came.
// It stops when the coverage ends or the story goes; after a failed request
// it tries again at the next turn.
(function () {
  "use strict";
  var feed = document.querySelector("[data-live-poll]");
  if (!feed || !window.fetch || !window.JSON) return;
  var list = feed.querySelector(".live__updates");
  var status = feed.querySelector(".live__status");
  var seconds = Math.max(parseInt(feed.getAttribute("data-poll-seconds"), 10) || 30, 1);
  var latest = feed.getAttribute("data-latest") || "0";
  // The texts come from the page (data-text-*), in the site's language.
  function text(name) {
    return feed.getAttribute("data-text-" + name);
  }
  status.textContent = text("polling");

  function add(updates) {
    var empty = list.querySelector(".live__empty");
    // The answer is newest first: put the oldest on top first, so the newest ends up above it.
    for (var i = updates.length - 1; i >= 0; i--) {
      if (document.getElementById("update-" + updates[i].id)) continue;
      var holder = document.createElement("template");
      holder.innerHTML = updates[i].html.trim();
      list.insertBefore(holder.content.firstElementChild, list.firstChild);
    }
    if (empty && updates.length) empty.remove();
  }

  function poll() {
    if (document.hidden) return later();
    fetch(feed.getAttribute("data-live-poll") + "?since=" + encodeURIComponent(latest), {
      headers: { Accept: "application/json" },
      cache: "no-cache"
    })
      .then(function (response) {
        // The story is gone (withdrawn, or no longer live coverage): stop asking.
        if (response.status === 404 || response.status === 410) return { live: false, latest: latest, updates: [] };
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (data) {
        if (data.updates.length) {
          add(data.updates);
          status.textContent =
            data.updates.length === 1 ? text("one-new") : text("many-new").replace("{count}", data.updates.length);
        }
        latest = String(data.latest);
        if (data.live) {
          later();
        } else {
          status.textContent = text("ended");
        }
      })
      .catch(later);
  }

  function later() {
    window.setTimeout(poll, seconds * 1000);
  }

  later();
})();
