// The booking form's customer picker: a result button (templates/customers/_picker_results.html)
// carries the customer's details and one address in data attributes; picking it fills the
// booking form, sets the hidden customer and address, and asks for a new price.
(function () {
  "use strict";
  var form = document.getElementById("booking-form");
  var results = document.getElementById("customer-picker-results");
  if (!form || !results) {
    return;
  }
  var picked = document.getElementById("customer-picked");
  var pickedText = document.getElementById("customer-picked-text");
  var fields = {
    firstName: "customer_first_name",
    lastName: "customer_last_name",
    email: "customer_email",
    phone: "customer_phone",
    company: "customer_company",
    street: "address",
    city: "city",
    state: "state",
    zip: "zip_code",
    bedrooms: "bedrooms",
    bathrooms: "bathrooms",
    squareFeet: "square_feet"
  };

  function setValue(name, value) {
    var input = form.elements.namedItem(name);
    if (input && value !== undefined) {
      input.value = value;
    }
  }

  results.addEventListener("click", function (event) {
    var button = event.target.closest(".customer-pick");
    if (!button) {
      return;
    }
    var data = button.dataset;
    Object.keys(fields).forEach(function (key) {
      if (data[key] !== undefined && (data[key] !== "" || key in { email: 1, phone: 1, company: 1 })) {
        setValue(fields[key], data[key]);
      }
    });
    setValue("customer", data.customer);
    setValue("service_address", data.address || "");
    pickedText.textContent = "Booking for " + button.textContent.trim() + ".";
    picked.classList.remove("d-none");
    results.innerHTML = "";
    form.dispatchEvent(new Event("change", { bubbles: true }));
    var first = form.elements.namedItem("date");
    if (first) {
      first.focus();
    }
  });

  document.getElementById("customer-unpick").addEventListener("click", function () {
    setValue("customer", "");
    setValue("service_address", "");
    picked.classList.add("d-none");
    document.getElementById("customer-q").focus();
  });
})();
