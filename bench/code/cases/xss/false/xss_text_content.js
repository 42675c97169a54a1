function show() {
  const q = new URLSearchParams(location.search).get("q");
  document.getElementById("o").textContent = q;
}
