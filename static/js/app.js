// Copy buttons: <button data-copy-target="#id">Copy</button>
document.addEventListener("click", function (event) {
  const button = event.target.closest("[data-copy-target]");
  if (!button) return;
  const target = document.querySelector(button.dataset.copyTarget);
  if (!target) return;
  const text = target.value !== undefined ? target.value : target.textContent.trim();
  const done = function () {
    const label = button.innerHTML;
    button.textContent = "Copied";
    setTimeout(function () { button.innerHTML = label; }, 1500);
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text).then(done);
  } else {
    if (target.select) { target.select(); }
    document.execCommand("copy");
    done();
  }
});

// Content that htmx brings in may ask to be downloaded at once (the invoice
// PDF once it is ready): <a href="…" data-auto-download>.
if (window.htmx) {
  htmx.onLoad(function (element) {
    if (!document.body.contains(element) || element === document.body) return;
    element.querySelectorAll("a[data-auto-download]").forEach(function (link) {
      link.click();
    });
  });
}

// Forms that ask before they act: <form data-confirm="Are you sure?">.
document.addEventListener("submit", function (event) {
  const form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});

// A form shown with its errors starts with an error summary
// (templates/includes/form_errors.html): focus it, so keyboard and screen
// reader users land on the list of problems; each link in it focuses its field.
(function () {
  const summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();
})();

document.addEventListener("click", function (event) {
  const link = event.target.closest("[data-error-summary] a[href^='#']");
  if (!link) return;
  const field = document.getElementById(decodeURIComponent(link.hash.slice(1)));
  if (!field) return;
  event.preventDefault();
  const label = document.querySelector('label[for="' + CSS.escape(field.id) + '"]');
  (label || field).scrollIntoView({ block: "center" });
  field.focus({ preventScroll: true });
});
