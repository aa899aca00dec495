from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CandidatesConfig(AppConfig):
    name = "candidates"
    verbose_name = _("Candidats")

    def ready(self) -> None:
        _register_erasure_hooks()


def _register_erasure_hooks() -> None:
    """What an erasure does outside the candidate's own rows (the routine is services.candidate_erase)."""
    from tescforce import erasure

    from . import services

    # Mon espace sessions still signed in, on any device.
    erasure.register("candidates.sessions", services.candidate_end_sessions, order=10)
