function showWelcome() {
  const name = decodeURIComponent(location.hash.slice(1));
  document.getElementById("welcome").textContent = "Welcome back, " + name;
}

window.addEventListener("hashchange", showWelcome);
