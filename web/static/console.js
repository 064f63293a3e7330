/* Helpdesk console: small progressive enhancements. Every page works without this file.
 *
 * - keyboard shortcuts: j/k move through a list (focusing the row's link, so Enter opens it),
 *   o opens, r reply, n note, / search, ? help
 * - presence: the ticket page reports "viewing" or "writing" and shows who else is there
 * - confirmations for forms marked data-confirm, and "select all" on the bulk list
 * No inline script anywhere (the Content-Security-Policy forbids it); DOM text only, never HTML.
 */
(function () {
  "use strict";

  var csrf = document.querySelector('meta[name="csrf-token"]');
  var token = csrf ? csrf.getAttribute("content") : "";

  function typing(target) {
    var tag = target && target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }

  /* ---- keyboard shortcuts ---- */
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr[data-row]"));
  var current = -1;

  function select(index) {
    if (!rows.length) { return; }
    current = Math.max(0, Math.min(rows.length - 1, index));
    rows.forEach(function (row, i) { row.classList.toggle("selected", i === current); });
    rows[current].scrollIntoView({ block: "nearest" });
    var link = rows[current].querySelector("a");
    if (link) { link.focus({ preventScroll: true }); }
  }

  function focusField(id) {
    var field = document.getElementById(id);
    if (field) { field.focus(); field.scrollIntoView({ block: "center" }); }
  }

  var help = document.getElementById("shortcuts");
  function toggleHelp(show) {
    if (!help) { return; }
    help.hidden = show === undefined ? !help.hidden : !show;
  }
  document.querySelectorAll("[data-help-toggle]").forEach(function (button) {
    button.addEventListener("click", function () { toggleHelp(); });
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (event.key === "Escape") {
      toggleHelp(false);
      if (typing(event.target)) { event.target.blur(); }
      return;
    }
    if (typing(event.target)) { return; }
    var actions = {
      "j": function () { select(current + 1); },
      "k": function () { select(current - 1); },
      "o": function () { if (current >= 0) { window.location = rows[current].getAttribute("data-href"); } },
      "r": function () { focusField("reply"); },
      "n": function () { focusField("note"); },
      "/": function () { focusField("q"); },
      "?": function () { toggleHelp(); }
    };
    if (actions[event.key]) {
      event.preventDefault();
      actions[event.key]();
    }
  });

  /* ---- confirmations and bulk selection ---- */
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });
  var all = document.getElementById("select-all");
  if (all) {
    all.hidden = false;
    all.addEventListener("change", function () {
      document.querySelectorAll('input[name="ticket"]').forEach(function (box) { box.checked = all.checked; });
    });
  }

  /* ---- presence: who else is on this ticket ---- */
  var presence = document.getElementById("presence");
  var reply = document.getElementById("reply");
  if (presence && presence.getAttribute("data-url")) {
    var url = presence.getAttribute("data-url");
    var beat = function () {
      var writing = reply && (reply.value.trim() !== "" || document.activeElement === reply);
      var body = new URLSearchParams({ activity: writing ? "writing" : "viewing" });
      fetch(url, { method: "POST", body: body, credentials: "same-origin", headers: { "X-CSRFToken": token } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (!data) { return; }
          presence.textContent = "";
          data.others.forEach(function (other) {
            var badge = document.createElement("span");
            badge.className = "badge presence-" + other.activity;
            badge.textContent = other.name + " is " + other.activity;
            presence.appendChild(badge);
          });
        })
        .catch(function () { /* offline for a moment: the next beat retries */ });
    };
    beat();
    window.setInterval(beat, 20000);
    if (reply) { reply.addEventListener("focus", beat, { once: true }); }
  }
})();
