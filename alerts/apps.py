from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = _("Alertes")

    def ready(self) -> None:
        from candidates import records, space
        from tescforce import erasure

        from . import selectors, services, tasks, views  # noqa: F401 - tasks: registers the task by name

        # "Mes alertes" in Mon espace, after the built-in lists.
        space.register_section("alerts", "alerts/space_alerts.html", get_context=views.space_alerts_context,
                               order=30)
        records.register_export("alerts", selectors.candidate_export_part)
        records.register_consent_withdrawn("alerts", services.alerts_on_consent_withdrawn)
        erasure.register("alerts", services.alerts_erase, order=25)
