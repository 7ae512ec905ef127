// Small progressive enhancements; every page works without them.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  const text = new URL(button.dataset.copy, window.location.href).href;
  navigator.clipboard?.writeText(text).then(() => {
    const original = button.innerHTML;
    button.innerHTML = button.dataset.copiedLabel || "✓";
    setTimeout(() => { button.innerHTML = original; }, 1500);
  });
});

// Behaviour that templates ask for with data attributes (no inline script: the
// Content-Security-Policy allows scripts from static/ only).
document.addEventListener("change", (event) => {
  const field = event.target.closest("[data-submit-on-change]");
  if (field && field.form) field.form.requestSubmit();
});
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form.matches("[data-no-submit]")) {
    event.preventDefault();
  } else if (form.dataset.actionYear && form.elements.year) {
    // the export address carries the year typed in the form
    form.action = form.dataset.actionYear.replace("9999", form.elements.year.value);
  }
});
document.addEventListener("click", (event) => {
  // error pages: "previous page" (a link home is there too, for a tab opened on the error)
  if (event.target.closest("[data-history-back]")) window.history.back();
});
