/* Suggested answers: "Insert reply" puts the suggestion's text into the reply box at the cursor,
 * keeping what the agent typed around it. DOM text only, never HTML; no inline script (CSP). */
(function () {
  "use strict";

  function replyBox() {
    return document.getElementById("reply") || document.querySelector('form.reply textarea[name="text"]');
  }

  function insertAtCursor(box, text) {
    var start = box.selectionStart || 0;
    var end = box.selectionEnd || start;
    box.setRangeText(text, start, end, "end");
    box.dispatchEvent(new Event("input", { bubbles: true }));  // drafts and length checks see the change
    box.focus();
  }

  document.querySelectorAll("button.insert-suggestion").forEach(function (button) {
    var source = document.getElementById(button.getAttribute("data-reply"));
    if (!source || !replyBox()) { return; }
    button.hidden = false;
    button.addEventListener("click", function () { insertAtCursor(replyBox(), source.textContent); });
  });
}());
