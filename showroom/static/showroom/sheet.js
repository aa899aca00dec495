document.addEventListener("click", function (event) {
  if (event.target.closest(".js-print")) { window.print(); }
});
