// Several rows at once: [data-check-all=G] ticks every [data-check=G]; [data-bulk-set=G] sets the
// select of each ticked row ([data-check-target=G][data-row=id]) to the toolbar's [data-bulk-value]
// and fires one change, so the page's HTMX preview runs once.
(function () {
  document.addEventListener("change", function (event) {
    // a row whose value differs from the stored one is marked as not saved yet
    var changed = event.target.closest("select[data-initial]");
    if (changed) {
      var row = changed.closest("tr");
      if (row) row.classList.toggle("table-warning", changed.value !== changed.dataset.initial);
    }
    var all = event.target.closest("[data-check-all]");
    if (!all) return;
    document.querySelectorAll('[data-check="' + all.dataset.checkAll + '"], input[type=checkbox][name="' + all.dataset.checkAll + '"]').forEach(function (box) {
      box.checked = all.checked;
    });
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-bulk-set]");
    if (!button) return;
    var group = button.dataset.bulkSet;
    var value = button.parentElement.querySelector("[data-bulk-value]").value;
    var last = null;
    document.querySelectorAll('[data-check="' + group + '"]:checked').forEach(function (box) {
      var select = document.querySelector('[data-check-target="' + group + '"][data-row="' + box.value + '"]');
      if (select) {
        select.value = value;
        select.closest("tr").classList.toggle("table-warning", select.value !== select.dataset.initial);
        last = select;
      }
    });
    if (last) last.dispatchEvent(new Event("change", {bubbles: true}));
  });
})();
