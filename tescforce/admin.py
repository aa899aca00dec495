from django.contrib import admin

from .models import YearTarget


@admin.register(YearTarget)
class YearTargetAdmin(admin.ModelAdmin):
    list_display = ("year", "candidates", "sessions", "companies", "hires", "meetings", "settlements")
    list_display_links = ("year",)
    ordering = ("-year",)
    search_fields = ("year",)
