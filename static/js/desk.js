// The moderation desk, enhanced. Without JavaScript every card's buttons post
// a form and the desk comes back. With it, a decision is sent in the
// background, its card leaves and the next card takes the focus; keys
// j/k move between cards and a/r/s approve, reject (with the reason shown on
// the card) or mark spam. When the last card of a page is decided, the
// next ones are fetched and put in its place.
(function () {
  "use strict";
  var main = document.getElementById("content-main");
  if (!main || !window.fetch || !window.FormData || !window.DOMParser || !main.closest) return;
  var KEYS = { a: "approved", r: "rejected", s: "spam" };

  function cards() {
    return Array.prototype.slice.call(main.querySelectorAll(".desk-card"));
  }

  function current() {
    var active = document.activeElement;
    return active && active.closest ? active.closest(".desk-card") : null;
  }

  function focusCard(card) {
    if (card) {
      card.focus();
      card.scrollIntoView({ block: "nearest" });
    }
  }

  function move(step) {
    var all = cards();
    var index = all.indexOf(current());
    focusCard(all[Math.min(Math.max(index + step, 0), all.length - 1)] || all[0]);
  }

  function say(message) {
    document.getElementById("desk-status").textContent = message;
  }

  // The desk's next page of cards (the first page, now that these are decided), in place.
  function refill() {
    var message = document.getElementById("desk-status").textContent;
    fetch(window.location.href, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html");
        main.innerHTML = fresh.getElementById("content-main").innerHTML;
        document.title = fresh.title;
        var heading = document.querySelector("#content h1");
        var freshHeading = fresh.querySelector("#content h1");
        if (heading && freshHeading) heading.textContent = freshHeading.textContent;
        say(message);
        focusCard(cards()[0]);
      })
      .catch(function () {
        window.location.reload();
      });
  }

  function leave(card) {
    var all = cards();
    var next = all[all.indexOf(card) + 1] || all[all.indexOf(card) - 1];
    card.closest("li").remove();
    if (next) {
      focusCard(next);
    } else {
      refill();
    }
  }

  function send(form, decision) {
    var card = form.closest(".desk-card");
    if (card.getAttribute("aria-busy") === "true") return;
    var data = new FormData(form);
    data.set("decision", decision);
    card.setAttribute("aria-busy", "true");
    fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.json();
      })
      .then(function (answer) {
        card.removeAttribute("aria-busy");
        say(answer.message);
        if (answer.gone) leave(card);
      })
      .catch(function () {
        card.removeAttribute("aria-busy");
        say(main.getAttribute("data-offline"));
      });
  }

  main.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (!button || button.name !== "decision") return;
    event.preventDefault();
    send(event.target, button.value);
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target.closest && target.closest("input, select, textarea, button")) return;
    if (event.key === "j") {
      move(1);
    } else if (event.key === "k") {
      move(-1);
    } else if (KEYS[event.key] && current()) {
      send(current().querySelector("form"), KEYS[event.key]);
    } else {
      return;
    }
    event.preventDefault();
  });

  focusCard(cards()[0]);
})();
