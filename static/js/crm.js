// The restaurant CRM's pages: what htmx updates in place is read out and
// keeps the keyboard focus. Loaded by the CRM's templates after app.js.
(function () {
  "use strict";
  if (!window.htmx) return;

  // Views answer with `HX-Trigger: {"crm:announce": "…"}`: say it in the
  // page's live region.
  document.body.addEventListener("crm:announce", function (event) {
    const live = document.getElementById("crm-live");
    const text = event.detail && event.detail.value;
    if (!live || !text) return;
    live.textContent = "";
    window.setTimeout(function () { live.textContent = text; }, 50);
  });

  // A form with errors comes back as 400 with the card to show: swap it in.
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr.status === 400 && document.getElementById("crm-live")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // After a swap, put the focus where the person is working: the first
  // error or field of a form that came in, else the heading of the card
  // (or the board) that was replaced.
  htmx.onLoad(function (element) {
    if (element === document.body || !element.querySelector) return;
    const invalid = element.querySelector("[data-error-summary]") || element.querySelector(".is-invalid");
    if (invalid) { invalid.focus(); return; }
    if (element.matches && element.matches(".contact-item")) {
      const field = element.querySelector("input, select, textarea");
      if (field) field.focus();
      return;
    }
    if (element.id === "board") { element.focus(); return; }
    const heading = element.querySelector("h2[tabindex]");
    if (heading) heading.focus();
  });
})();
