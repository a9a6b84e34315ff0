// The public booking page (templates/online/book.html): the live price from
// the server's quote() and, once an email is entered, the visitor's choices
// saved so the business can follow up. Both are debounced.
(function () {
  "use strict";
  const form = document.getElementById("booking-page-form");
  if (!form || !window.fetch) return;
  const quoteBox = document.getElementById("quote");
  const pricing = /^(service_type|frequency|bedrooms|bathrooms|square_feet|addon_.+)$/;

  function debounce(fn, ms) {
    let timer = null;
    return function () {
      clearTimeout(timer);
      timer = setTimeout(fn, ms);
    };
  }

  function post(url) {
    return fetch(url, { method: "POST", body: new FormData(form), credentials: "same-origin" });
  }

  const refreshQuote = debounce(function () {
    post(form.dataset.quoteUrl)
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) { if (html !== null) quoteBox.innerHTML = html; })
      .catch(function () {});
  }, 250);

  const email = form.querySelector("[name=customer_email]");
  const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
  const saveProgress = debounce(function () {
    if (!email || !emailPattern.test(email.value.trim())) return;
    post(form.dataset.progressUrl).catch(function () {});
  }, 800);

  form.addEventListener("input", function (event) {
    if (pricing.test(event.target.name || "")) refreshQuote();
    if (email && email.value) saveProgress();
  });
  form.addEventListener("change", function (event) {
    if (pricing.test(event.target.name || "")) refreshQuote();
    if (email && email.value) saveProgress();
  });
})();
