from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CandidatesConfig(AppConfig):
    name = "candidates"
    verbose_name = _("Candidats")

    def ready(self) -> None:
        _register_erasure_hooks()
        _register_scoping()


def _register_erasure_hooks() -> None:
    """What an erasure does outside the candidate's own rows (the routine is services.candidate_erase)."""
    from tescforce import erasure

    from . import services

    # Mon espace sessions still signed in, on any device.
    erasure.register("candidates.sessions", services.candidate_end_sessions, order=10)


def _register_scoping() -> None:
    """What a company's recruiters see of the candidate side (matching adds the candidates it matched)."""
    from tescforce import scoping

    from .selectors import candidates_chosen_for_company_q

    scoping.register_path("candidates.jobinterest", "posting__company")
    scoping.register_path("candidates.orientation", "company")
    scoping.register_rule("candidates.candidate", "candidates.chosen", candidates_chosen_for_company_q)
