// "Add a step" on the change-request form: clone the empty row, give it the next free step ID.
(function () {
  const button = document.getElementById("add-step");
  const template = document.getElementById("empty-step");
  const list = document.getElementById("step-rows");
  if (!button || !template || !list) return;
  const total = document.getElementById("id_steps-TOTAL_FORMS");
  button.addEventListener("click", function () {
    let max = 0;
    list.querySelectorAll("input[name$='-key']").forEach(function (input) {
      const m = /^s(\d+)$/i.exec(input.value);
      if (m) max = Math.max(max, parseInt(m[1], 10));
    });
    const index = parseInt(total.value, 10);
    const key = "s" + (max + 1);
    const html = template.innerHTML.replace(/__prefix__/g, String(index)).replace(/__key__/g, key.toUpperCase());
    list.insertAdjacentHTML("beforeend", html);
    const row = list.lastElementChild;
    row.querySelector("input[name$='-key']").value = key;
    // ORDER stays empty: an untouched extra row is then ignored, a filled one goes last
    total.value = String(index + 1);
    row.querySelector("input[name$='-name']").focus();
  });
})();
