from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Sessions Numéric Emploi")

    def ready(self) -> None:
        from candidates import pending

        from .views import book_session_pending

        # A newcomer's "Book a seat" runs once their e-mail is confirmed.
        pending.register("book_session", book_session_pending)
