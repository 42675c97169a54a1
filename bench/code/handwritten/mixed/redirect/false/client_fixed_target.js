document.addEventListener("DOMContentLoaded", () => {
  const params = new URLSearchParams(window.location.search);
  const lang = params.get("lang") === "de" ? "de" : "en";
  window.location.href = "/" + lang + "/welcome";
});
