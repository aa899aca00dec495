from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompaniesConfig(AppConfig):
    name = "companies"
    verbose_name = _("Entreprises et offres")

    def ready(self) -> None:
        from candidates import pending

        from . import signals  # noqa: F401
        from .views import job_interest_pending

        pending.register("job_interest", job_interest_pending, label=_("Manifester votre intérêt pour une offre"))
