// Another company chosen on a meeting form: its time zone goes back to "the company's country's main
// zone" and its campaign to none, which the server resolves from the company on saving, rather than
// keeping what was preset from the company chosen before.
(function () {
  "use strict";
  function ready() {
    var zone = document.getElementById("id_timezone");
    var prospect = document.getElementById("id_prospect");
    if (!zone || !prospect) {
      return;
    }
    var chosen = prospect.value;
    // select2 also fires "change" when it starts: only a different company resets the zone.
    var reset = function () {
      if (prospect.value !== chosen) {
        chosen = prospect.value;
        zone.value = "";
        if (window.django && window.django.jQuery) {
          window.django.jQuery("#id_campaign").val(null).trigger("change");
        }
      }
    };
    prospect.addEventListener("change", reset);
    // The admin's autocomplete (select2) reports its changes through jQuery only.
    if (window.django && window.django.jQuery) {
      window.django.jQuery(prospect).on("change", reset);
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
}());
