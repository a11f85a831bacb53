/* The salary form's preview: the coefficient of the chosen rank and step and the salary by
   rank and step (coefficient × base salary), from the options' data-coefficients. The server
   computes the real amounts when the decision is saved and approved. */
(function () {
  "use strict";
  var box = document.querySelector("[data-salary-preview]");
  var rank = document.querySelector("select[name=rank]");
  var step = document.querySelector("input[name=step]");
  if (!box || !rank || !step) { return; }
  var base = parseInt(box.dataset.baseSalary, 10);
  var coefficientOut = box.querySelector("[data-preview-coefficient]");
  var monthlyOut = box.querySelector("[data-preview-monthly]");

  function money(amount) {
    return String(amount).replace(/\B(?=(\d{3})+(?!\d))/g, ".") + " đ";
  }

  function update() {
    var option = rank.options[rank.selectedIndex];
    var steps = option && option.dataset.coefficients ? option.dataset.coefficients.split(" ") : [];
    var number = parseInt(step.value, 10);
    var coefficient = number >= 1 && number <= steps.length ? steps[number - 1] : null;
    if (coefficient === null) {
      coefficientOut.textContent = "—";
      monthlyOut.textContent = "—";
      return;
    }
    var hundredths = Math.round(parseFloat(coefficient) * 100);
    coefficientOut.textContent = (hundredths / 100).toFixed(2).replace(".", ",");
    monthlyOut.textContent = money(Math.round(hundredths * base / 100));
  }

  rank.addEventListener("change", update);
  step.addEventListener("input", update);
  update();
}());
