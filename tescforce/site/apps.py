from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "tescforce.site"

    def ready(self) -> None:
        from . import accounts_admin

        # Staff accounts: coordinators manage recruiter, hotline and prospecting accounts, nothing above.
        accounts_admin.register_admin()
