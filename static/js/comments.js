// The forms under a story (comment, reply, report) carry no CSRF token, so
// that every reader gets the same page and caches can keep it. The token is
// fetched once, when the reader first starts to use one of them, and added
// before the form is sent. Without JavaScript, or if the fetch fails, the
// server offers the comment back to be sent again with a token.
(function () {
  "use strict";
  var section = document.getElementById("comments");
  if (!section || !window.fetch || !section.closest) return;
  var tokenUrl = section.getAttribute("data-token-url");
  var token = null;

  function fetchToken() {
    if (!token) {
      token = fetch(tokenUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error("no token");
          return response.json();
        })
        .then(function (data) {
          return data.token;
        });
      token.catch(function () {
        token = null;
      });
    }
    return token;
  }

  function hasToken(form) {
    return !!form.querySelector("input[name=csrfmiddlewaretoken]");
  }

  function addToken(form, value) {
    var input = document.createElement("input");
    input.type = "hidden";
    input.name = "csrfmiddlewaretoken";
    input.value = value;
    form.appendChild(input);
  }

  section.addEventListener("focusin", function (event) {
    var form = event.target.closest("form");
    if (form && !hasToken(form)) fetchToken();
  });

  section.addEventListener("submit", function (event) {
    var form = event.target;
    if (hasToken(form)) return;
    event.preventDefault();
    fetchToken().then(
      function (value) {
        addToken(form, value);
        form.submit();
      },
      function () {
        form.submit();
      }
    );
  });
})();

// Progressive enhancement for the comment form. Without JavaScript, "Reply"
// links reload the story with ?reply_to=<id> and the form at the bottom is
// set up for that reply. With it, the same form moves under the comment
// being answered, and "Cancel reply" puts it back.
(function () {
  "use strict";
  var form = document.getElementById("comment-form");
  if (!form || !form.closest || !("hidden" in form)) return;

  var home = document.createComment("comment form");
  form.parentNode.insertBefore(home, form);
  var parentInput = form.querySelector("input[name=parent]");
  var heading = document.getElementById("comment-form-heading");
  var replying = form.querySelector(".comment-form__replying");
  var cancel = replying.querySelector(".comment-form__cancel");
  var firstField = form.querySelector("input[name=author_name]");
  // The page's language: the form carries its own translated texts.
  var originalHeading = form.getAttribute("data-add-heading");
  var replyHeading = form.getAttribute("data-reply-heading");
  var replyingText = form.getAttribute("data-replying").split("{name}");
  var fullStop = form.getAttribute("data-full-stop");

  function showReplying(id, name) {
    while (replying.firstChild) replying.removeChild(replying.firstChild);
    var link = document.createElement("a");
    link.href = "#comment-" + id;
    link.textContent = name;
    // No second full stop after a name that ends with one ("Farid N.").
    var end = /[.!?\u2026\u06d4\u061f]\s*$/.test(name) ? " " : fullStop + " ";
    replying.append(replyingText[0], link, replyingText[1] || "", end, cancel);
    replying.hidden = false;
  }

  function replyTo(id, name) {
    var comment = document.getElementById("comment-" + id);
    if (!comment) return;
    comment.insertAdjacentElement("afterend", form);
    parentInput.value = id;
    heading.textContent = replyHeading.replace("{name}", name);
    showReplying(id, name);
    firstField.focus();
  }

  function cancelReply() {
    home.parentNode.insertBefore(form, home.nextSibling);
    parentInput.value = "";
    heading.textContent = originalHeading;
    replying.hidden = true;
    if (window.history.replaceState) {
      window.history.replaceState(null, "", window.location.pathname + "#comment-form");
    }
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest(".comment__reply");
    if (link) {
      event.preventDefault();
      replyTo(link.getAttribute("data-reply-to"), link.getAttribute("data-reply-name"));
    } else if (event.target.closest(".comment-form__cancel")) {
      event.preventDefault();
      cancelReply();
    }
  });

  // Arrived through a no-JavaScript reply link: put the form in place.
  if (parentInput.value) {
    var target = document.querySelector('.comment__reply[data-reply-to="' + parentInput.value + '"]');
    if (target) {
      var comment = document.getElementById("comment-" + parentInput.value);
      comment.insertAdjacentElement("afterend", form);
    }
  }
})();

// Remember the commenter's name and email in this browser (never on the
// server), so the story page stays the same for everyone and cacheable.
(function () {
  "use strict";
  var form = document.getElementById("comment-form");
  var storage;
  try {
    storage = window.localStorage;
    storage.getItem("newsdesk-commenter");
  } catch (error) {
    return; // storage turned off: the form simply starts empty
  }
  if (!form || !storage) return;
  var fields = ["author_name", "email"];
  var saved = {};
  try {
    saved = JSON.parse(storage.getItem("newsdesk-commenter")) || {};
  } catch (error) {
    saved = {};
  }
  fields.forEach(function (name) {
    var input = form.elements[name];
    if (input && !input.value && typeof saved[name] === "string") input.value = saved[name];
  });
  form.addEventListener("submit", function () {
    var values = {};
    fields.forEach(function (name) {
      if (form.elements[name]) values[name] = form.elements[name].value;
    });
    try {
      storage.setItem("newsdesk-commenter", JSON.stringify(values));
    } catch (error) {
      // full or refused: nothing to remember, nothing lost
    }
  });
})();

// One report form serves every comment. Without JavaScript each "Report"
// link opens that comment's own report page; with it, the shared form opens
// in a dialog, set up for the comment whose link was pressed, and focus
// returns to that link when the dialog closes.
(function () {
  "use strict";
  var dialog = document.getElementById("flag-dialog");
  if (!dialog || typeof dialog.showModal !== "function" || !dialog.closest) return;
  var form = dialog.querySelector("form");
  var about = dialog.querySelector(".flag-dialog__about");
  var opener = null;

  document.addEventListener("click", function (event) {
    var link = event.target.closest(".comment__flag");
    if (link) {
      event.preventDefault();
      opener = link;
      form.reset();
      form.action = link.href;
      var name = link.closest(".comment").querySelector(".comment__author").textContent;
      about.textContent = dialog.getAttribute("data-about").replace("{name}", name);
      dialog.showModal();
    } else if (event.target.closest(".flag-dialog__cancel")) {
      dialog.close();
    }
  });

  dialog.addEventListener("close", function () {
    if (opener) opener.focus();
  });
})();
