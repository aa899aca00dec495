// Filter the skill checkboxes as the visitor types; without this script every skill stays listed.
(function () {
  "use strict";
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  document.querySelectorAll("[data-skill-picker]").forEach(function (picker) {
    var box = picker.querySelector("[data-skill-filter]");
    var input = box.querySelector("input");
    var count = box.querySelector("[data-skill-count]");
    box.hidden = false;
    input.addEventListener("input", function () {
      var query = fold(input.value.trim());
      var shown = 0;
      picker.querySelectorAll("[data-skill-group]").forEach(function (group) {
        var visible = 0;
        group.querySelectorAll("[data-skill-option]").forEach(function (option) {
          var match = !query || fold(option.textContent).indexOf(query) !== -1;
          option.hidden = !match;
          if (match) { visible += 1; }
        });
        group.hidden = visible === 0;
        shown += visible;
      });
      count.textContent = query ? shown + " / " + picker.querySelectorAll("[data-skill-option]").length : "";
    });
  });
})();
