from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _relocation_context(request, candidate) -> dict:
    from .hotline_views import space_relocation_context

    return space_relocation_context(request, candidate)


class CandidatesConfig(AppConfig):
    name = "candidates"
    verbose_name = _("Candidats")

    def ready(self) -> None:
        from . import matching_signals, space  # noqa: F401 - connects the recompute-on-save signals

        # The hotline's "ask for relocation help" panel in Mon espace.
        space.register_section("relocation", "candidates/hotline/space_relocation.html",
                               get_context=_relocation_context, order=50)
        _register_erasure_hooks()


def _register_erasure_hooks() -> None:
    """What an erasure does outside the candidate's own rows (the routine is services.candidate_erase)."""
    from tescforce import erasure

    from . import agenda, hotline_services, services
    from .models import InterviewRelease

    # Mon espace sessions still signed in, on any device.
    erasure.register("candidates.sessions", services.candidate_end_sessions, order=10)
    # Job-dating slots go, and recruiters who had the schedule learn the slot is free (naming no one).
    erasure.register("candidates.agenda", lambda subject: agenda.interviews_release_for_candidate(
        candidate=subject.candidate, reason=InterviewRelease.Reason.ERASED), order=20)
    # Calls and call-backs are found by the e-mail and phone: before they are blanked.
    erasure.register("candidates.hotline", lambda subject: hotline_services.hotline_erase(subject.candidate),
                     order=40)
    erasure.register("candidates.matching", services.matches_erase, order=50)
