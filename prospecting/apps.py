from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProspectingConfig(AppConfig):
    name = "prospecting"
    verbose_name = _("Prospection internationale")

    def ready(self) -> None:
        from tescforce import desk, permissions, roles, staff_tools

        from . import selectors

        # The officer's agenda of meetings and its calendar subscription.
        staff_tools.register("prospecting", label=_("Mon agenda de prospection"),
                             url_name="staff:prospecting:calendar", order=50, allowed=permissions.may_prospect)
        desk.register("prospecting", title=_("Prospection : cette semaine"), template="prospecting/desk.html",
                      allowed=lambda user: roles.has_role(user, roles.PROSPECTING) and permissions.may_prospect(user),
                      get_context=selectors.desk_context, order=40)
