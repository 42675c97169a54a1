document.addEventListener("DOMContentLoaded", () => {
  const params = new URLSearchParams(window.location.search);
  const target = params.get("continue");
  if (target) {
    window.location.href = target;
  }
});
