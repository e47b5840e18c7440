// «Скопировать» next to a read-only field: shown only when this script runs; without it the
// field stays selectable text. Kept in a file: the Content-Security-Policy allows no inline code.
(function () {
  "use strict";
  var status = document.getElementById("copy-status");

  function say(text) {
    if (status) { status.textContent = text; }
  }

  function copyByCommand(field) {
    field.focus();
    field.select();
    try {
      return document.execCommand("copy");
    } catch (err) {
      return false;
    }
  }

  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    if (!field) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var done = function () { say("Ссылка скопирована. Вставьте её в календарь."); };
      var manual = function () {
        if (copyByCommand(field)) { done(); return; }
        say("Не удалось скопировать: выделите ссылку и скопируйте её вручную.");
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(done, manual);
      } else {
        manual();
      }
    });
  });
}());
