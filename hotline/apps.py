from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HotlineConfig(AppConfig):
    name = "hotline"
    verbose_name = _("Hotline")

    def ready(self) -> None:
        from candidates import records, space
        from tescforce import desk, erasure, permissions, roles, staff_tools

        from . import selectors, services, tasks, views  # noqa: F401 - tasks: registers the tasks by name

        # The "ask for relocation help" panel in Mon espace.
        space.register_section("relocation", "hotline/space_relocation.html",
                               get_context=views.space_relocation_context, order=50)
        # Calls and call-backs are found by the e-mail and phone: before they are blanked.
        erasure.register("hotline.calls", lambda subject: services.hotline_erase(subject.candidate), order=40)
        records.register_export("hotline", services.hotline_export_part)
        records.register_timeline("hotline", selectors.candidate_admin_timeline)
        # The quick-log console, linked from the footer, the admin and the 403 page to those it admits.
        staff_tools.register("hotline", label=_("Hotline"), url_name="staff:hotline_home", order=20,
                             allowed=permissions.can_see_hotline)
        # The hotline agents' part of the staff desk (coordinators have their own and reach the console by link).
        desk.register("hotline", title=_("Hotline : à traiter aujourd'hui"), template="hotline/desk.html",
                      allowed=lambda user: roles.has_role(user, roles.HOTLINE) and permissions.can_see_hotline(user),
                      get_context=selectors.desk_context, order=10)
        # The embedded database writes the callers' search columns with the same folding (tescforce.text).
        selectors.register_sqlite_functions()
