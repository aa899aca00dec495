// "Print" buttons of the attendance sheet (no inline handler: the site's CSP forbids them).
document.addEventListener("click", function (event) {
  "use strict";
  if (event.target.closest("[data-print]")) { window.print(); }
});
