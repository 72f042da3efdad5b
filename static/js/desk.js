// The moderation desk, enhanced. Without JavaScript every card's buttons post
// a form and the desk comes back. With it, a decision is sent in the
// background, its card leaves and the next card takes the focus; keys
// j/k move between cards and a/r/s approve, reject (with the reason shown on
// the card) or mark spam. When the last card of a page is decided, the desk
// reloads to bring the next ones.
(function () {
  "use strict";
  var list = document.querySelector(".desk__cards");
  if (!list || !window.fetch || !window.FormData || !list.closest) return;
  var status = document.getElementById("desk-status");
  var KEYS = { a: "approved", r: "rejected", s: "spam" };

  function cards() {
    return Array.prototype.slice.call(list.querySelectorAll(".desk-card"));
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
    status.textContent = message;
  }

  function leave(card) {
    var all = cards();
    var next = all[all.indexOf(card) + 1] || all[all.indexOf(card) - 1];
    card.closest("li").remove();
    if (next) {
      focusCard(next);
    } else {
      window.location.reload();
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
        say("The decision could not be sent; check the connection and try again.");
      });
  }

  list.addEventListener("submit", function (event) {
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
