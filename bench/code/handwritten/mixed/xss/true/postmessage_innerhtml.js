window.addEventListener("message", (event) => {
  const box = document.querySelector("#notifications");
  box.innerHTML += `<li>${event.data.text}</li>`;
});
