// Progressive enhancement for the employer pages. Every page works without this file.
(function () {
  "use strict";

  // Autosave and the posting checker answer 422 with a readable reason: show it.
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr && event.detail.xhr.status === 422) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // Copy-to-clipboard buttons stay hidden without JavaScript (they could not work).
  function setUpCopy() {
    document.querySelectorAll("[data-copy-target]").forEach(function (button) {
      var target = document.getElementById(button.getAttribute("data-copy-target"));
      var status = document.getElementById(button.getAttribute("data-copy-status"));
      if (!target) {
        return;
      }
      function say(attribute) {
        if (status) {
          status.textContent = button.getAttribute(attribute);
        }
      }
      button.hidden = false;
      button.addEventListener("click", function () {
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(target.value).then(
            function () { say("data-copied"); },
            function () { say("data-copy-failed"); }
          );
          return;
        }
        target.select();
        try {
          say(document.execCommand("copy") ? "data-copied" : "data-copy-failed");
        } catch (error) {
          say("data-copy-failed");
        }
      });
    });
  }

  // After a refused form, move focus to the list of problems so it is read first.
  function focusErrorSummary() {
    var summary = document.getElementById("error-summary");
    if (summary) {
      summary.focus();
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpCopy();
    focusErrorSummary();
  });
})();
