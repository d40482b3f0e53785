// Copy buttons: a <button data-copy-target="ID" hidden> copies the text of the field or element
// with that id. Without JavaScript the button stays hidden and the text can be selected by hand.
// Loaded as a file, not inline, because the Content-Security-Policy allows scripts only from self.
(function () {
  "use strict";

  function announce(button, message) {
    var status = document.getElementById(button.getAttribute("aria-controls") + "-status");
    if (status) {
      status.textContent = message;
    }
  }

  function copy(button) {
    var target = document.getElementById(button.getAttribute("data-copy-target"));
    if (!target) {
      return;
    }
    var text = "value" in target ? target.value : target.textContent;
    var done = function () { announce(button, button.getAttribute("data-copied")); };
    var failed = function () {
      if (target.select) {
        target.select();
      }
      announce(button, button.getAttribute("data-copy-failed"));
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(done, failed);
    } else {
      failed();
    }
  }

  document.querySelectorAll("button[data-copy-target]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { copy(button); });
  });
})();
