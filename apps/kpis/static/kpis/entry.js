/* Flags a figure before it is sent: letters are refused here (the server checks again),
   and a value outside the indicator's expected range is marked. */
(function () {
  var script = document.currentScript;
  var pattern = /^\s*[-+]?[0-9０-９,，\s]*[.．]?[0-9０-９]*\s*%?\s*$/;
  function check(input) {
    var msg = input.closest("td").querySelector(".kpi-js-msg");
    var text = input.value.trim();
    var bad = text !== "" && !pattern.test(text);
    input.classList.toggle("is-invalid", bad);
    var warn = false;
    if (!bad && text !== "") {
      var v = parseFloat(text.replace(/[,，\s%]/g, ""));
      var lo = input.dataset.min, hi = input.dataset.max;
      warn = (lo !== "" && v < parseFloat(lo)) || (hi !== "" && v > parseFloat(hi));
    }
    input.classList.toggle("border-warning", warn);
    if (msg) msg.textContent = bad ? script.dataset.numbersOnly : (warn ? script.dataset.outOfRange : "");
    return !bad;
  }
  document.addEventListener("input", function (e) {
    if (e.target.matches && e.target.matches("input.kpi-input")) check(e.target);
  });
  // Do not send what is plainly not a number.
  document.addEventListener("htmx:confirm", function (e) {
    var input = e.target.matches && e.target.matches("input.kpi-input") ? e.target : null;
    if (input && !check(input)) e.preventDefault();
  });
})();
