from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CandidatesConfig(AppConfig):
    name = "candidates"
    verbose_name = _("Candidats")

    def ready(self) -> None:
        from tescforce import desk, erasure, roles, scoping

        from . import pending, services, tasks, views  # noqa: F401 - tasks: registers the tasks services queue by name
        from .search import register_sqlite_functions
        from .selectors import candidates_chosen_for_company_q, desk_qualification_context

        # What an erasure does outside the candidate's own rows (the routine is services.candidate_erase):
        # Mon espace sessions still signed in, on any device.
        erasure.register("candidates.sessions", services.candidate_end_sessions, order=10)
        # "I'm interested" asked before registering runs once the e-mail is confirmed.
        pending.register("job_interest", views.job_interest_pending, label=_("Manifester votre intérêt pour une offre"))
        # What a company's recruiters see of the candidate side (matching adds the candidates it matched).
        scoping.register_path("candidates.jobinterest", "posting__company")
        scoping.register_path("candidates.orientation", "company")
        scoping.register_rule("candidates.candidate", "candidates.chosen", candidates_chosen_for_company_q)
        desk.register("qualification", title=_("Candidat·es à qualifier"),
                      template="candidates/desk/qualification.html",
                      allowed=lambda user: roles.has_role(user, roles.COORDINATORS),
                      get_context=desk_qualification_context, order=30)
        # The embedded database writes the search columns with the same folding (tescforce.text).
        register_sqlite_functions()
