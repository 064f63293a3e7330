/* Helpdesk console: the merge form asks first, naming both tickets and both customers, and warns
 * when the customers differ (web/merging.py says what the merge would do). Without this file the
 * form still works: the server refuses to merge two customers' tickets unless the box is ticked. */
(function () {
  "use strict";

  var form = document.getElementById("merge-form");
  if (!form) { return; }
  var anyway = form.querySelector('input[name="customers_differ"]');
  anyway.closest(".merge-anyway").hidden = true;
  var asked = false;

  form.addEventListener("submit", function (event) {
    if (asked) { return; }
    event.preventDefault();
    var url = form.getAttribute("data-plan-url") + "?" +
      new URLSearchParams({ into: form.querySelector('input[name="into"]').value });
    fetch(url, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (plan) {
        if (plan.error) { window.alert(plan.error); return; }
        if (!window.confirm(plan.question)) { return; }
        anyway.checked = plan.customers_differ;
        asked = true;
        form.requestSubmit();
      })
      .catch(function () { asked = true; form.requestSubmit(); });
  });
})();
