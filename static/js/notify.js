// Reminder settings: show the field of the chosen reminder timing only
// ("at a set time the day before" or "hours before the start").
(function () {
  "use strict";
  var mode = document.getElementById("id_reminder_mode");
  if (!mode) {
    return;
  }
  var fields = document.querySelectorAll("[data-reminder-mode]");
  function update() {
    fields.forEach(function (field) {
      // A field with an error stays visible, so the error can be read and fixed.
      field.hidden =
        field.getAttribute("data-reminder-mode") !== mode.value &&
        !field.querySelector(".is-invalid");
    });
  }
  mode.addEventListener("change", update);
  update();
})();
