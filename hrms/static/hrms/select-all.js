/* "Tick all" boxes: input[data-select-all="NAME"] ticks every enabled checkbox named NAME of
   the same form (by the form attribute or by nesting), and follows them (all, none, some). */
(function () {
  "use strict";
  document.querySelectorAll("input[type=checkbox][data-select-all]").forEach(function (master) {
    var name = master.dataset.selectAll;
    function boxes() {
      var form = master.form;
      var all = form ? Array.prototype.slice.call(form.elements) : [];
      return all.filter(function (el) {
        return el !== master && el.type === "checkbox" && el.name === name && !el.disabled;
      });
    }
    function follow() {
      var list = boxes();
      var ticked = list.filter(function (box) { return box.checked; }).length;
      master.checked = list.length > 0 && ticked === list.length;
      master.indeterminate = ticked > 0 && ticked < list.length;
    }
    master.addEventListener("change", function () {
      boxes().forEach(function (box) { box.checked = master.checked; });
      follow();
    });
    boxes().forEach(function (box) { box.addEventListener("change", follow); });
    follow();
  });
}());
