from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import YearTarget

# Staff see the platform's name, not Django's ("Administration de Django").
admin.site.site_header = _("Tesc Force – administration")
admin.site.site_title = _("Tesc Force")
admin.site.index_title = _("Tableau de bord de l'administration")


@admin.register(YearTarget)
class YearTargetAdmin(admin.ModelAdmin):
    list_display = ("year", "candidates", "sessions", "companies", "hires", "meetings", "settlements")
    list_display_links = ("year",)
    ordering = ("-year",)
    search_fields = ("year",)
