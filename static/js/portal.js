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
