document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
// The printed report shows every table, whichever the reader had opened.
window.addEventListener("beforeprint", function () {
  document.querySelectorAll("details.figure-table").forEach(function (details) {
    details.dataset.wasOpen = details.open ? "1" : "";
    details.open = true;
  });
});
window.addEventListener("afterprint", function () {
  document.querySelectorAll("details.figure-table").forEach(function (details) {
    details.open = details.dataset.wasOpen === "1";
  });
});
