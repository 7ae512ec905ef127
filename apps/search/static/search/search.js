// Top-bar suggestions: show the list while it has something, hide it on Escape or a click elsewhere.
(() => {
  const input = document.getElementById("portal-search-q");
  const box = document.getElementById("portal-search-suggest");
  if (!input || !box) return;
  const show = (on) => {
    box.classList.toggle("show", on);
    input.setAttribute("aria-expanded", on ? "true" : "false");
  };
  document.body.addEventListener("htmx:afterSwap", (event) => {
    if (event.detail.target === box) show(box.textContent.trim() !== "" && input.value.trim() !== "");
  });
  input.addEventListener("input", () => { if (!input.value.trim()) show(false); });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Escape") show(false);
    if (event.key === "ArrowDown" && box.classList.contains("show")) {
      event.preventDefault();
      box.querySelector("a")?.focus();
    }
  });
  box.addEventListener("keydown", (event) => {
    const items = [...box.querySelectorAll("a")];
    const at = items.indexOf(document.activeElement);
    if (event.key === "ArrowDown" && at < items.length - 1) { event.preventDefault(); items[at + 1].focus(); }
    if (event.key === "ArrowUp") { event.preventDefault(); (at > 0 ? items[at - 1] : input).focus(); }
    if (event.key === "Escape") { show(false); input.focus(); }
  });
  document.addEventListener("click", (event) => {
    if (!event.target.closest(".portal-search")) show(false);
  });
})();
