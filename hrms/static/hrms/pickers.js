/* Pickers over plain form fields (progressive enhancement; no inline script under the CSP).
   - Unit pickers (select[data-unit-picker]): a search box that ignores accents and case
     ("tan yen" finds "Tân Yên"); ended units (option[data-ended]) hidden unless asked for.
   - Date fields (input[data-date]): a calendar button; the typed dd/mm/yyyy text stays the
     value sent, so typing "1973" in a partial date still works. */
(function () {
  "use strict";

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase().replace(/\s+/g, " ").trim();
  }

  var counter = 0;

  function unitPicker(select) {
    counter += 1;
    var options = Array.prototype.slice.call(select.options);
    var folded = options.map(function (option) { return fold(option.textContent.replace(/^(— )+/, "")); });
    var hasEnded = options.some(function (option) { return option.hasAttribute("data-ended"); });
    var box = document.createElement("div");
    box.className = "unit-search";
    var search = document.createElement("input");
    search.type = "search";
    search.id = (select.id || "unit") + "-search";
    search.setAttribute("aria-label", select.dataset.searchLabel || "");
    search.placeholder = select.dataset.searchLabel || "";
    search.setAttribute("aria-controls", select.id || "");
    search.autocomplete = "off";
    box.appendChild(search);
    var ended = null;
    if (hasEnded) {
      var label = document.createElement("label");
      ended = document.createElement("input");
      ended.type = "checkbox";
      label.appendChild(ended);
      label.appendChild(document.createTextNode(" " + (select.dataset.endedLabel || "")));
      box.appendChild(label);
    }
    select.parentNode.insertBefore(box, select);

    function apply() {
      var words = fold(search.value).split(" ").filter(Boolean);
      var showEnded = ended !== null && ended.checked;
      var firstMatch = null;
      options.forEach(function (option, index) {
        var blank = option.value === "";
        var match = words.every(function (word) { return folded[index].indexOf(word) !== -1; });
        var visible = blank || option.selected ||
          (match && (showEnded || !option.hasAttribute("data-ended")));
        option.hidden = !visible;
        option.disabled = !visible && !option.selected;
        if (visible && !blank && match && firstMatch === null) { firstMatch = option; }
      });
      return firstMatch;
    }

    search.addEventListener("input", apply);
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        var first = apply();
        if (first) {
          select.value = first.value;
          select.dispatchEvent(new Event("change", { bubbles: true }));
          select.focus();
        }
      }
    });
    if (ended) { ended.addEventListener("change", apply); }
    apply();
  }

  function pad(number) { return (number < 10 ? "0" : "") + number; }

  function datePicker(input) {
    var picker = document.createElement("input");
    picker.type = "date";
    picker.className = "date-picker";
    picker.tabIndex = -1;
    picker.setAttribute("aria-hidden", "true");
    picker.title = input.getAttribute("placeholder") || "";
    var wrap = document.createElement("span");
    wrap.className = "date-wrap";
    input.parentNode.insertBefore(wrap, input);
    wrap.appendChild(input);
    wrap.appendChild(picker);
    function sync() {
      var match = /^(\d{1,2})[/-](\d{1,2})[/-](\d{4})$/.exec(input.value.trim());
      picker.value = match ? match[3] + "-" + pad(+match[2]) + "-" + pad(+match[1]) : "";
    }
    picker.addEventListener("change", function () {
      var parts = picker.value.split("-");
      if (parts.length === 3) {
        input.value = parts[2] + "/" + parts[1] + "/" + parts[0];
        input.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
    input.addEventListener("change", sync);
    sync();
  }

  function enhance(root) {
    root.querySelectorAll("select[data-unit-picker]:not([data-enhanced])").forEach(function (select) {
      select.setAttribute("data-enhanced", "");
      unitPicker(select);
    });
    root.querySelectorAll("input[data-date]:not([data-enhanced])").forEach(function (input) {
      if (input.name.indexOf("__prefix__") !== -1) { return; }
      input.setAttribute("data-enhanced", "");
      datePicker(input);
    });
  }

  enhance(document);
  // Rows added in place (rows.js) get their calendars too.
  new MutationObserver(function () { enhance(document); })
    .observe(document.body, { childList: true, subtree: true });
}());
