from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = _("Rapprochement")

    def ready(self) -> None:
        from candidates import records, space
        from candidates import services as candidates_services
        from events import company_lists
        from events import services as events_services
        from tescforce import desk, erasure, permissions, scoping, staff_tools

        from . import (  # noqa: F401 - signals: recompute on save; tasks: by name
            agenda,
            scorecards,
            selectors,
            services,
            session_lists,
            signals,
            space_views,
            tasks,
        )

        records.register_consent_withdrawn("matching.agenda", agenda.release_on_consent_withdrawn)
        # A confirmed e-mail makes the person matchable: their offers are ready when Mon espace opens.
        candidates_services.on_candidate_confirmed(
            "matching", lambda candidate: signals.schedule(candidate_ids=[candidate.pk]))
        events_services.on_registration_cancelled("matching.agenda", agenda.release_on_registration_cancelled)
        events_services.on_session_cancelled("matching.agenda", agenda.cancel_on_session_cancelled)
        # Each company's list of the candidates it will meet at a session: its interviews and matches there.
        company_lists.register_reason("matching", session_lists.company_list_reasons)
        records.register_export("matching", services.matches_export_part)
        # What recruiters wrote about the person at a job dating: theirs to read (right of access).
        records.register_export("matching.scorecards", scorecards.scorecards_export_part)
        # Mon espace, first on the page: the person's job-dating interviews to come, then the offers picked for them.
        space.register_section("interviews", "matching/space_interviews.html",
                               get_context=space_views.interviews_context, order=10, top=True)
        space.register_section("offers", "matching/space_offers.html", get_context=space_views.offers_context,
                               order=20, top=True)
        # Job-dating slots go, and recruiters who had the schedule learn the slot is free (naming no one).
        # Before the interviews still to come go: what recruiters wrote, and its history, goes first.
        erasure.register("matching.scorecards", scorecards.scorecards_erase, order=15)
        erasure.register("matching.agenda", agenda.release_on_erasure, order=20)
        erasure.register("matching.matches", services.matches_erase, order=50)
        # A recruiter sees their company's matches and interviews, and the candidates in them who hold the
        # match consent (besides those the candidates app admits: tescforce/scoping.py).
        scoping.register_path("matching.match", "posting__company")
        scoping.register_path("matching.interview", "company")
        scoping.register_path("matching.scorecard", "interview__company")
        scoping.register_path("matching.sheetlink", "company")
        scoping.register_rule("candidates.candidate", "matching.matched", selectors.candidates_matched_to_company_q)
        staff_tools.register("matching", label=_("Rapprochements"), url_name="staff:matching_index", order=40,
                             allowed=permissions.is_coordinator)
        desk.register("postings", title=_("Vos offres"), template="matching/desk_postings.html",
                      allowed=permissions.is_recruiter, get_context=selectors.desk_postings_context, order=50)
        # A recruiter's job datings, each with its interview sheet to fill on the day.
        staff_tools.register("sheets", label=_("Mes entretiens"), url_name="staff:matching_sheets", order=45,
                             allowed=permissions.is_recruiter)
        desk.register("interviews", title=_("Vos entretiens de job dating"), template="matching/desk_interviews.html",
                      allowed=permissions.is_recruiter, get_context=scorecards.desk_interviews_context, order=45)
