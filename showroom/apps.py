from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShowroomConfig(AppConfig):
    name = "showroom"
    verbose_name = _("Showroom")

    def ready(self) -> None:
        from tescforce import erasure

        # Imported for their receivers and the tasks the services queue by name.
        from . import signals, tasks  # noqa: F401
        from .services import contact_requests_erase

        # A person who leaves takes their requests to meet companies with them (found by e-mail).
        erasure.register("showroom.contact_requests", lambda subject: contact_requests_erase(emails=subject.emails),
                         order=60)
