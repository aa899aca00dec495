from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partenaires prescripteurs")

    def ready(self) -> None:
        from companies import learning

        from . import courses

        # Courses under the offers whose missing skills they teach: matching asks through companies.learning.
        learning.register("partners.courses", courses.gap_courses)
