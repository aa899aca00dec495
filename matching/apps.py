from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = _("Rapprochement")

    def ready(self) -> None:
        from candidates import records
        from events import services as events_services
        from tescforce import erasure, permissions, scoping, staff_tools

        from . import agenda, selectors, services, signals, tasks  # noqa: F401 - signals: recompute on save; tasks: by name

        records.register_consent_withdrawn("matching.agenda", agenda.release_on_consent_withdrawn)
        events_services.on_registration_cancelled("matching.agenda", agenda.release_on_registration_cancelled)
        events_services.on_session_cancelled("matching.agenda", agenda.cancel_on_session_cancelled)
        records.register_export("matching", services.matches_export_part)
        # Job-dating slots go, and recruiters who had the schedule learn the slot is free (naming no one).
        erasure.register("matching.agenda", agenda.release_on_erasure, order=20)
        erasure.register("matching.matches", services.matches_erase, order=50)
        # A recruiter sees their company's matches and interviews, and the candidates in them who hold the
        # match consent (besides those the candidates app admits: tescforce/scoping.py).
        scoping.register_path("matching.match", "posting__company")
        scoping.register_path("matching.interview", "company")
        scoping.register_rule("candidates.candidate", "matching.matched", selectors.candidates_matched_to_company_q)
        staff_tools.register("matching", label=_("Rapprochements"), url_name="staff:matching_index", order=40,
                             allowed=permissions.is_coordinator)
