from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CandidatesConfig(AppConfig):
    name = "candidates"
    verbose_name = _("Candidats")

    def ready(self) -> None:
        from . import matching_signals  # noqa: F401 - connects the recompute-on-save signals

        _register_erasure_hooks()


def _register_erasure_hooks() -> None:
    """What an erasure does outside the candidate's own rows (the routine is services.candidate_erase)."""
    from tescforce import erasure

    from . import agenda, services
    from .models import InterviewRelease

    # Mon espace sessions still signed in, on any device.
    erasure.register("candidates.sessions", services.candidate_end_sessions, order=10)
    # Job-dating slots go, and recruiters who had the schedule learn the slot is free (naming no one).
    erasure.register("candidates.agenda", lambda subject: agenda.interviews_release_for_candidate(
        candidate=subject.candidate, reason=InterviewRelease.Reason.ERASED), order=20)
    erasure.register("candidates.matching", services.matches_erase, order=50)
