// Progressive enhancement for the seeker's pages. Every page works without this file:
// the forms post and save as they are; with it, answers save as the person goes.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function isStatus(target) {
    return target && target.classList && target.classList.contains("save-status");
  }

  function sayNotSaved(target) {
    var form = target.closest("form");
    var text = form ? form.getAttribute("data-not-saved") : "";
    target.textContent = text || "";
    target.classList.add("save-status--error");
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var target = event.detail.target;
    if (isStatus(target)) {
      var form = target.closest("form");
      target.classList.remove("save-status--error");
      target.textContent = form ? form.getAttribute("data-saving") || "" : "";
    }
  });

  // A 422 carries a reason written for the person: show it like a success.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (!isStatus(target)) {
      return;
    }
    var status = event.detail.xhr.status;
    if (status === 422) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
      return;
    }
    // Signed out meanwhile (the answer is the sign-in page), or anything unexpected.
    if (status === 200 && event.detail.serverResponse.indexOf("data-save-status") === -1) {
      event.detail.shouldSwap = false;
      sayNotSaved(target);
    }
  });

  document.addEventListener("htmx:responseError", function (event) {
    if (isStatus(event.detail.target)) {
      sayNotSaved(event.detail.target);
    }
  });
  document.addEventListener("htmx:sendError", function (event) {
    if (isStatus(event.detail.target)) {
      sayNotSaved(event.detail.target);
    }
  });
})();
