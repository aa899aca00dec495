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
