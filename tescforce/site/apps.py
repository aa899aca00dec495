from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    name = "tescforce.site"

    def ready(self) -> None:
        from tescforce import permissions, roles, staff_tools

        from . import accounts_admin, desk

        # Staff accounts: coordinators manage recruiter, hotline and prospecting accounts, nothing above.
        accounts_admin.register_admin()
        staff_tools.register("desk_home", label=_("Mon bureau"), url_name="staff:desk", order=5,
                             allowed=permissions.is_staff_member)
        staff_tools.register("dashboard", label=_("Tableau de bord"), url_name="staff:dashboard", order=10,
                             allowed=lambda user: roles.has_role(user, roles.COORDINATORS, roles.PROSPECTING))
        desk.register_sections()
