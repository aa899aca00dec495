// Check-in desk: filter the list as you type, and mark people present without reloading.
(function () {
  "use strict";
  var root = document.getElementById("checkin");
  if (!root) { return; }
  var search = document.getElementById("checkin-search");
  var items = Array.prototype.slice.call(document.querySelectorAll("#checkin-list li[data-name]"));
  var none = document.getElementById("checkin-none");

  function normalise(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }
  items.forEach(function (li) { li.dataset.key = normalise(li.dataset.name); });

  function filter() {
    var words = normalise(search.value).split(/\s+/).filter(Boolean);
    var shown = 0;
    items.forEach(function (li) {
      var match = words.every(function (w) { return li.dataset.key.indexOf(w) !== -1; });
      li.hidden = !match;
      if (match) { shown += 1; }
    });
    if (none) { none.hidden = shown !== 0; }
  }
  if (search) { search.addEventListener("input", filter); }

  function showCounts(counts) {
    Object.keys(counts).forEach(function (key) {
      var el = root.querySelector('[data-count="' + key + '"]');
      if (el) { el.textContent = counts[key]; }
    });
  }

  root.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-mark")) { return; }
    event.preventDefault();
    var button = form.querySelector("button");
    button.disabled = true;
    fetch(form.action, {method: "POST", body: new FormData(form), headers: {"Accept": "application/json"},
                        credentials: "same-origin"})
      .then(function (response) { return response.json().then(function (data) { return [response.ok, data]; }); })
      .then(function (result) {
        var ok = result[0], data = result[1];
        if (!ok) { button.disabled = false; window.alert(data.error || root.dataset.errorText); return; }
        var badge = form.parentElement.querySelector("[data-status]");
        if (badge) {
          badge.textContent = data.status_label;
          badge.className = "badge text-bg-" + (data.status === "attended" ? "success" : "secondary");
        }
        showCounts(data.counts);
        // The row's button turns into its opposite, so a tap by mistake is undone at once.
        var undo = form.querySelector('input[name="undo"]');
        if (data.can_undo) {
          if (!undo) {
            undo = document.createElement("input");
            undo.type = "hidden"; undo.name = "undo"; undo.value = "1";
            form.appendChild(undo);
          }
          button.className = "btn btn-outline-secondary btn-lg";
          button.querySelector("[data-label]").textContent = form.dataset.undoLabel;
          form.hidden = false;
        } else if (data.status === "attended") {
          form.hidden = true;  // a walk-in stays present
        } else {
          if (undo) { undo.remove(); }
          button.className = "btn btn-success btn-lg";
          button.querySelector("[data-label]").textContent = form.dataset.markLabel;
          form.hidden = false;
        }
        button.disabled = false;
      })
      .catch(function () { form.submit(); });
  });

  // Live count: other desks check people in too.
  var stateUrl = root.dataset.stateUrl;
  window.setInterval(function () {
    fetch(stateUrl, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) { showCounts(data.counts); } })
      .catch(function () {});
  }, 15000);
}());
