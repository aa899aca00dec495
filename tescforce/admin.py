from django.apps import apps
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import YearTarget

# Staff see the platform's name, not Django's ("Administration de Django").
admin.site.site_header = _("Tesc Force – administration")
admin.site.site_title = _("Tesc Force")
admin.site.index_title = _("Tableau de bord de l'administration")

# The libraries' sections under names staff read (their own are "AXES", "OTP_TOTP", "Periodic Tasks").
for _label, _name in (("axes", _("Tentatives de connexion")), ("otp_totp", _("Double authentification")),
                      ("django_celery_beat", _("Tâches planifiées"))):
    if apps.is_installed(_label) or any(c.label == _label for c in apps.get_app_configs()):
        apps.get_app_config(_label).verbose_name = _name


@admin.register(YearTarget)
class YearTargetAdmin(admin.ModelAdmin):
    list_display = ("year", "candidates", "sessions", "companies", "hires", "meetings", "settlements")
    list_display_links = ("year",)
    ordering = ("-year",)
    search_fields = ("year",)
