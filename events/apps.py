from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Sessions Numéric Emploi")

    def ready(self) -> None:
        from candidates import pending, records, space
        from tescforce import desk, erasure, permissions, roles, scoping, staff_tools

        from . import selectors, tasks  # noqa: F401 - tasks: registers the tasks services queue by name
        from .services import registrations_erase
        from .staff_views import DESK_GROUPS
        from .views import book_session_pending

        # A newcomer's "Book a seat" runs once their e-mail is confirmed.
        pending.register("book_session", book_session_pending, label=_("Réserver une place à la session"))
        # "Mon espace" shows "Mon billet" on each confirmed booking and a cancel button on each one still active.
        space.register_rows("registration", selectors.space_bookings)
        space.register_row_action("registration", "events/space_ticket_link.html")
        space.register_row_action("registration", "events/space_cancel_button.html")
        # Their bookings in their data export and on their admin timeline.
        records.register_export("events", selectors.candidate_export_part)
        records.register_timeline("events", selectors.candidate_timeline)
        # An erased person's seats to come go back to the waitlist; the notes about them go.
        erasure.register("events.registrations", lambda subject: registrations_erase(candidate=subject.candidate),
                         order=30)
        # A recruiter sees their company's session places; the programme itself is public.
        scoping.register_path("events.sessioncompany", "company")
        scoping.register_unscoped("events.session", "events.edition", "events.programme")
        # The check-in desk of the sessions, for the people who welcome participants.
        staff_tools.register("desk", label=_("Accueil des sessions"), url_name="staff:events_staff:desk_sessions",
                             order=30, allowed=lambda user: roles.has_role(user, *DESK_GROUPS))
        # The staff desk: coordinators see how the next sessions fill; a recruiter, their own company's next ones.
        desk.register("sessions", title=_("Prochaines sessions"), template="events/desk/sessions.html",
                      allowed=lambda user: roles.has_role(user, roles.COORDINATORS),
                      get_context=selectors.desk_sessions_context, order=20)
        desk.register("company_sessions", title=_("Les prochaines sessions de votre entreprise"),
                      template="events/desk/company_sessions.html", allowed=permissions.is_recruiter,
                      get_context=selectors.desk_company_sessions_context, order=60)
