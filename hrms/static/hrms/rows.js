/* Rows of a dossier table (a Django formset): add and remove rows in place.
   Progressive enhancement: without this file the empty row and the "delete" boxes still work.
   No inline script (strict CSP); texts come from the script tag's data attributes. */
(function () {
  "use strict";
  var script = document.currentScript;
  var texts = {
    removed: (script && script.dataset.removed) || "",
    added: (script && script.dataset.added) || ""
  };

  function say(form, text) {
    var status = form.querySelector("[data-row-status]");
    if (status) { status.textContent = text; }
  }

  function enhanceRow(form, row) {
    var button = row.querySelector("[data-remove-row]");
    var box = row.querySelector("input[type=checkbox][name$='-DELETE']");
    if (!button || !box) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      box.checked = true;
      row.hidden = true;
      say(form, texts.removed);
    });
  }

  document.querySelectorAll("form[data-rows]").forEach(function (form) {
    var prefix = form.dataset.rows;
    var total = form.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
    var template = form.querySelector("template[data-empty-row]");
    var body = form.querySelector("[data-row-body]");
    var add = form.querySelector("[data-add-row]");
    if (!total || !template || !body || !add) { return; }
    body.querySelectorAll("tr[data-row]").forEach(function (row) { enhanceRow(form, row); });
    add.hidden = false;
    add.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      var html = template.innerHTML
        .replace(/__prefix__/g, String(index))
        .replace(/__num__/g, String(index + 1));
      body.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      var rows = body.querySelectorAll("tr[data-row]");
      var row = rows[rows.length - 1];
      enhanceRow(form, row);
      var first = row.querySelector("input:not([type=hidden]):not([type=checkbox]), select, textarea");
      if (first) { first.focus(); }
      say(form, texts.added);
    });
  });
}());
