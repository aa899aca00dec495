from celery.signals import worker_ready
from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class TescforceAdminConfig(admin_apps.AdminConfig):
    """Django's admin, on the site that keeps each user's navigation list (tescforce/admin_site.py)."""

    default = False  # named in INSTALLED_APPS; "tescforce" itself stays TescforceConfig
    default_site = "tescforce.admin_site.TescforceAdminSite"


class TescforceConfig(AppConfig):
    name = "tescforce"
    verbose_name = _("Pilotage")

    def ready(self) -> None:
        from . import audit, page_cache, security, translated
        from .roles import sync_roles_after_migrate
        from .schedule import sync_beat_schedule
        from .tasks import first_heartbeat
        from .text import install_sqlite_functions

        # The embedded database folds and searches text like PostgreSQL (tescforce/text.py).
        connection_created.connect(install_sqlite_functions, dispatch_uid="tescforce-sqlite-text")
        post_migrate.connect(sync_beat_schedule, sender=self)
        # Last app to migrate is not known in advance: syncing after each is cheap and ends complete.
        post_migrate.connect(sync_roles_after_migrate, sender=self, dispatch_uid="tescforce-sync-roles")
        # A worker that just started proves itself at once, not at beat's first 5-minute tick (/readyz/).
        worker_ready.connect(first_heartbeat, dispatch_uid="tescforce-first-heartbeat")
        # The audit trail's historical models live in this app (their migrations too).
        audit.register_history()
        audit.register_admin()
        security.register_admin()
        # Cached public fragments go stale as soon as what they show changes.
        page_cache.connect()
        # Empty choices read "Choisir…" / "Choose…" everywhere, the admin and third-party apps included.
        translated.word_blank_choices()
