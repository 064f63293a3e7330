/* Helpdesk console: the reply box (templates/web/tickets/_reply.html). The box works without it.
 *
 * - drafts: what is typed is saved on the server as the agent types, and leaving the page with
 *   unsent text asks first
 * - canned replies: filled on the server and inserted where the cursor is, keeping what is typed
 * - Ctrl+Enter sends; the length and the files' size are checked before anything is sent
 * - the Undo button counts down the seconds left and goes when they are over
 * No inline script (the Content-Security-Policy forbids it); DOM text only, never HTML.
 */
(function () {
  "use strict";

  var box = document.getElementById("reply-box");
  var form = document.getElementById("reply-form");
  var reply = document.getElementById("reply");
  if (!box || !form || !reply) { return; }
  var csrf = document.querySelector('meta[name="csrf-token"]');
  var token = csrf ? csrf.getAttribute("content") : "";
  var cc = document.getElementById("reply-cc");
  var bcc = document.getElementById("reply-bcc");
  var files = document.getElementById("reply-files");
  var limit = document.getElementById("reply-limit");
  var draftState = document.getElementById("draft-state");
  var maxCharacters = parseInt(box.getAttribute("data-max-characters"), 10);
  var maxBytes = parseInt(box.getAttribute("data-max-bytes"), 10);
  var sending = false;
  var limitText = limit.textContent;

  function post(url, fields) {
    var body = new FormData();  /* multipart: the text as it is, not three bytes a byte as %XX */
    Object.keys(fields).forEach(function (name) { body.append(name, fields[name]); });
    return fetch(url, { method: "POST", body: body, credentials: "same-origin", headers: { "X-CSRFToken": token } });
  }

  /* ---- drafts ---- */
  var saved = [reply.value, cc.value, bcc.value].join("\u0000");
  var timer = null;
  function saveDraft() {
    timer = null;
    var now = [reply.value, cc.value, bcc.value].join("\u0000");
    if (now === saved) { return; }
    post(box.getAttribute("data-draft-url"), { text: reply.value, cc: cc.value, bcc: bcc.value })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        saved = now;
        draftState.textContent = "Draft saved.";
      })
      .catch(function () { draftState.textContent = "Draft not saved yet (offline?)."; });
  }
  function changed() {
    check();
    if (timer) { window.clearTimeout(timer); }
    timer = window.setTimeout(saveDraft, 600);
  }
  [reply, cc, bcc].forEach(function (field) { field.addEventListener("input", changed); });
  window.addEventListener("beforeunload", function (event) {
    if (sending || reply.value.trim() === "") { return; }
    if (timer) { saveDraft(); }
    event.preventDefault();
    event.returnValue = "";
  });

  /* ---- limits, checked before anything is sent ---- */
  function check() {
    var over = reply.value.length - maxCharacters;
    var message = over > 0 ? "The reply is " + over.toLocaleString() + (over === 1 ? " character" : " characters") +
      " too long (at most " +
      maxCharacters.toLocaleString() + ")." : "";
    reply.setCustomValidity(message);
    limit.classList.toggle("error", over > 0);
    limit.setAttribute("role", over > 0 ? "alert" : "status");
    limit.textContent = message || limitText;
    limit.appendChild(draftState);
    var total = 0;
    Array.prototype.forEach.call(files.files || [], function (file) { total += file.size; });
    files.setCustomValidity(total > maxBytes ? "The files come to " + Math.ceil(total / 1048576) +
      " MB; at most " + Math.floor(maxBytes / 1048576) + " MB can be attached." : "");
  }
  files.addEventListener("change", function () { check(); files.reportValidity(); });
  form.addEventListener("submit", function (event) {
    check();
    if (!form.checkValidity()) {
      event.preventDefault();
      form.reportValidity();
      return;
    }
    sending = true;
  });
  reply.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit(form.querySelector('button[value="send"]'));
    }
  });

  /* ---- canned replies, inserted at the cursor; one that asserts something asks to confirm it ---- */
  function showCheck(name, check) {
    var place = document.getElementById("canned-check");
    if (!place || !check) { return; }
    place.textContent = "";
    var hidden = document.createElement("input");
    hidden.type = "hidden"; hidden.name = "canned"; hidden.value = name;
    var label = document.createElement("label");
    label.className = "confirm";
    var box = document.createElement("input");
    box.type = "checkbox"; box.name = "confirmed"; box.value = "1"; box.required = true;
    label.appendChild(box);
    label.appendChild(document.createTextNode(" " + check));
    place.appendChild(hidden);
    place.appendChild(label);
  }

  var canned = document.getElementById("canned-form");
  if (canned) {
    canned.addEventListener("submit", function (event) {
      event.preventDefault();
      var name = document.getElementById("canned").value;
      if (!name) { return; }
      var url = box.getAttribute("data-canned-url").replace("NAME", encodeURIComponent(name)) +
        "?" + new URLSearchParams({ reasons: document.getElementById("reasons").value });
      fetch(url, { credentials: "same-origin" })
        .then(function (response) { if (!response.ok) { throw new Error(response.status); } return response.json(); })
        .then(function (data) {
          var start = reply.selectionStart, end = reply.selectionEnd;
          reply.setRangeText(data.text, start, end, "end");
          showCheck(data.name, data.check);
          reply.focus();
          changed();
        })
        .catch(function () { canned.submit(); });
    });
  }

  /* ---- undo: the seconds left, then the button goes ---- */
  document.querySelectorAll("form.undo").forEach(function (undo) {
    var left = parseInt(undo.getAttribute("data-undo-seconds"), 10);
    var shown = undo.querySelector(".undo-left");
    var tick = window.setInterval(function () {
      left -= 1;
      if (left <= 0) { window.clearInterval(tick); undo.hidden = true; return; }
      shown.textContent = String(left);
    }, 1000);
    undo.addEventListener("submit", function () { sending = true; });
  });

  check();
})();
