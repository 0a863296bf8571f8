/* A venue check's section (templates/venues/section.html), on top of htmx.

   Each question's block posts its answer and note when they change (htmx's hx-post,
   to venues.views.answering.answer); the words beside them say whether they are
   stored: "Not saved yet." while typing, "Saving…", then the server's "Saved" (only a
   response carrying X-Answer: saved counts: a sign-in page after a lapsed session
   does not), or why not. With no connection an answer says so and is sent again when
   the browser is back online, or when another answer gets through. Leaving the page
   with an answer not saved asks first. Without JavaScript none of this runs and the
   Save buttons save the whole section. Answers are sent one at a time (hx-sync queues
   them on the form), so a burst after the signal returns is not a burst on the server.

   On a narrow screen a long section is shown four questions at a time, with Previous
   and Next; every answer stays in the one form, so Save still saves them all. */
(function () {
  "use strict";

  var form = document.querySelector("form.assessment-form");
  if (!form || !window.htmx) {
    return;
  }
  var words = form.dataset;
  var blocks = Array.prototype.slice.call(form.querySelectorAll(".answer-block"));
  var submitting = false;

  function edits(block) {
    return Number(block.dataset.edits || 0);
  }
  function unsaved(block) {
    return edits(block) !== Number(block.dataset.stored || 0);
  }
  function say(block, state, text) {
    var status = block.querySelector(".answer-status");
    status.dataset.state = state;
    if (text !== undefined) {
      status.textContent = text;
    }
  }
  function blockOf(event) {
    return event.detail && event.detail.elt && event.detail.elt.closest
      ? event.detail.elt.closest(".answer-block")
      : null;
  }
  function resend(except) {
    blocks.forEach(function (block) {
      if (block !== except && block.dataset.failed === "1" && unsaved(block)) {
        block.dataset.failed = "";
        htmx.trigger(block, "change");
      }
    });
  }

  form.addEventListener("input", function (event) {
    var block = event.target.closest(".answer-block");
    if (block) {
      block.dataset.edits = String(edits(block) + 1);
      say(block, "unsaved", words.unsaved);
    }
  });
  form.addEventListener("submit", function () {
    submitting = true;
  });

  document.body.addEventListener("htmx:beforeRequest", function (event) {
    var block = blockOf(event);
    if (!block) {
      return;
    }
    if (!unsaved(block)) {
      event.preventDefault(); // nothing new since it was stored
      return;
    }
    block.dataset.sent = String(edits(block));
    say(block, "saving", words.saving);
  });

  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var block = blockOf(event);
    if (!block) {
      return;
    }
    var answer = event.detail.xhr.getResponseHeader("X-Answer");
    if (!answer || event.detail.xhr.status !== 200) {
      event.detail.shouldSwap = false;
      block.dataset.failed = "1";
      say(block, "unsaved", words.failed);
      return;
    }
    event.detail.shouldSwap = true;
    block.dataset.failed = "";
    block.dataset.outcome = answer;
    if (answer === "conflict") {
      // Someone else answered it meanwhile: theirs is shown beside it, with a choice.
      say(block, "unsaved");
      return;
    }
    say(block, answer === "saved" ? "saved" : "unsaved");
    if (answer === "saved") {
      block.dataset.stored = block.dataset.sent;
    }
  });

  document.body.addEventListener("htmx:afterSwap", function (event) {
    var block = blockOf(event);
    if (!block || block.dataset.outcome !== "saved") {
      return; // not stored, and the words beside it say why
    }
    if (unsaved(block)) {
      // Changed again while it was being saved: that change is on its way, not stored.
      say(block, "unsaved", words.unsaved);
    } else {
      resend(block);
    }
  });

  function offline(event) {
    var block = blockOf(event);
    if (block) {
      block.dataset.failed = "1";
      say(block, "unsaved", words.offline);
    }
  }
  document.body.addEventListener("htmx:sendError", offline);
  document.body.addEventListener("htmx:timeout", offline);
  document.body.addEventListener("htmx:responseError", function (event) {
    var block = blockOf(event);
    if (block) {
      block.dataset.failed = "1";
      say(block, "unsaved", words.failed);
    }
  });
  window.addEventListener("online", function () {
    resend(null);
  });

  // Someone else answered a question since the page was opened: one tap keeps this
  // person's answer (sent again, from theirs) or takes theirs into the form (it is stored).
  function settle(block) {
    var box = block.querySelector(".answer-conflict");
    box.textContent = "";
  }
  form.addEventListener("click", function (event) {
    var button = event.target.closest("[data-conflict]");
    var block = button && button.closest(".answer-block");
    if (!block) {
      return;
    }
    if (button.dataset.conflict === "mine") {
      block.dataset.edits = String(edits(block) + 1);
      settle(block);
      htmx.trigger(block, "change");
    } else {
      block.querySelectorAll("input[type=radio]").forEach(function (radio) {
        radio.checked = radio.value === button.dataset.value;
      });
      block.querySelector('[name$="_note"]').value = button.dataset.note;
      block.dataset.stored = String(edits(block));
      settle(block);
      say(block, "saved", words.taken);
    }
    block.focus();
  });
  blocks.forEach(function (block) {
    var choice = block.querySelector(".conflict-choice");
    if (choice) {
      // Shown by a whole section's save: not stored until chosen.
      choice.hidden = false;
      block.querySelector(".conflict-without-script").hidden = true;
      block.dataset.edits = "1";
    }
  });

  window.addEventListener("beforeunload", function (event) {
    if (!submitting && blocks.some(unsaved)) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // Four questions at a time on a narrow screen.
  var PER_PAGE = 4;
  var pager = form.querySelector(".question-pager");
  var range = pager.querySelector(".pager-range");
  var previous = pager.querySelector('[data-step="-1"]');
  var next = pager.querySelector('[data-step="1"]');
  var narrow = window.matchMedia("(max-width: 575.98px)");
  var page = 0;

  function firstToShow() {
    // Where she left off: the first question with an error, else the first unanswered.
    var index = blocks.findIndex(function (block) {
      return block.querySelector(".is-invalid, .invalid-feedback");
    });
    if (index < 0) {
      index = blocks.findIndex(function (block) {
        return !block.querySelector("input[type=radio]:checked");
      });
    }
    return Math.max(index, 0);
  }

  function show(moveFocus) {
    var paged = narrow.matches && blocks.length > PER_PAGE + 1;
    pager.hidden = !paged;
    var first = page * PER_PAGE;
    var last = Math.min(first + PER_PAGE, blocks.length);
    blocks.forEach(function (block, index) {
      block.hidden = paged && (index < first || index >= last);
    });
    if (!paged) {
      return;
    }
    range.textContent = pager.dataset.range
      .replace("{first}", String(first + 1))
      .replace("{last}", String(last))
      .replace("{total}", String(blocks.length));
    previous.disabled = page === 0;
    next.disabled = last >= blocks.length;
    if (moveFocus) {
      blocks[first].focus();
      blocks[first].scrollIntoView({ block: "start" });
    }
  }

  pager.addEventListener("click", function (event) {
    var button = event.target.closest("[data-step]");
    if (button) {
      var pages = Math.ceil(blocks.length / PER_PAGE);
      page = Math.min(Math.max(page + Number(button.dataset.step), 0), pages - 1);
      show(true);
    }
  });
  narrow.addEventListener("change", function () {
    show(false);
  });
  page = Math.floor(firstToShow() / PER_PAGE);
  show(false);
})();
