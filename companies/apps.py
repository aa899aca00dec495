from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompaniesConfig(AppConfig):
    name = "companies"
    verbose_name = _("Entreprises et offres")

    def ready(self) -> None:
        from tescforce import accounts, roles, scoping

        from . import signals  # noqa: F401
        from .services import recruiter_profile_set

        # A recruiter sees their own company's rows; skills and job families are reference data.
        scoping.register_path("companies.company", "pk")
        for model in ("companysite", "recruiter", "jobposting"):
            scoping.register_path(f"companies.{model}", "company")
        scoping.register_unscoped("companies.skill", "companies.jobfamily")
        # A coordinator who gives the recruiter role chooses the company: the account's recruiter profile.
        accounts.register_role_profile(roles.RECRUITERS, recruiter_profile_set)
