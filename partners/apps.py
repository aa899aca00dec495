from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partenaires prescripteurs")

    def ready(self) -> None:
        from candidates import records, space
        from companies import learning
        from tescforce import erasure

        from . import courses, selectors, services, tasks, views  # noqa: F401 - tasks: registers the tasks by name

        # What the partner typed about a person goes with them (the counts of the figures stay).
        erasure.register("partners.referrals", services.referrals_erase, order=45)
        records.register_export("partners", services.referral_export_part)
        records.register_timeline("partners", selectors.candidate_timeline)
        records.register_origin("partners", selectors.referred_by_names)
        # Mon espace: who referred the person, and the choice to stop sharing their path with them.
        space.register_section("partners", "partners/space_referrals.html",
                               get_context=views.space_section_context, order=60)
        # Courses under the offers whose missing skills they teach: matching asks through companies.learning.
        learning.register("partners.courses", courses.gap_courses)
