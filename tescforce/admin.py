from cron_descriptor import ExpressionDescriptor, Options
from django.apps import apps
from django.contrib import admin
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _
from django_celery_beat import admin as beat_admin
from django_celery_beat.models import CrontabSchedule, PeriodicTask
from django_otp.plugins.otp_totp.models import TOTPDevice

from .admin_mixins import titled_filter
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


# The scheduled tasks' admin in the staff's words: the library names some columns and filters in English only
# ("Scheduler", "Task Name", "Human readable") and writes schedules as cron expressions.
def _schedule_in_words(crontab) -> str:
    options = Options()
    options.locale_code = "fr_FR" if get_language().startswith("fr") else "en_US"
    options.use_24hour_time_format = True
    expression = f"{crontab.minute} {crontab.hour} {crontab.day_of_month} {crontab.month_of_year} {crontab.day_of_week}"
    try:
        return f"{ExpressionDescriptor(expression, options).get_description()} ({crontab.timezone})"
    except Exception:  # noqa: BLE001 – the library raises several types for expressions it cannot word
        return f"{expression} ({crontab.timezone})"


def _interval_in_words(interval) -> str:
    seconds = int(interval.schedule.run_every.total_seconds())
    if seconds % 60:
        return ngettext("Toutes les %(n)s seconde", "Toutes les %(n)s secondes", seconds) % {"n": seconds}
    minutes = seconds // 60
    return ngettext("Toutes les %(n)s minute", "Toutes les %(n)s minutes", minutes) % {"n": minutes}


class StaffPeriodicTaskAdmin(beat_admin.PeriodicTaskAdmin):
    list_display = ("name", "enabled", "schedule", "last_run_at", "total_run_count")
    list_filter = ["enabled", "one_off", ("task", titled_filter(admin.AllValuesFieldListFilter, _("tâche")))]
    readonly_fields = ("last_run_at", "crontab_translation")
    date_hierarchy = None

    @admin.display(description=_("planification"))
    def schedule(self, obj):
        if obj.crontab_id:
            return _schedule_in_words(obj.crontab)
        if obj.interval_id:
            return _interval_in_words(obj.interval)
        return obj.scheduler

    @admin.display(description=_("planification en clair"))
    def crontab_translation(self, obj):
        return _schedule_in_words(obj.crontab) if obj.crontab_id else "–"


class StaffCrontabScheduleAdmin(beat_admin.CrontabScheduleAdmin):
    list_display = ("expression", "in_words")
    fields = ("in_words", "minute", "hour", "day_of_month", "month_of_year", "day_of_week", "timezone")
    readonly_fields = ("in_words",)

    @admin.display(description=_("expression cron"))
    def expression(self, obj):
        return f"{obj.minute} {obj.hour} {obj.day_of_month} {obj.month_of_year} {obj.day_of_week}"

    @admin.display(description=_("en clair"))
    def in_words(self, obj):
        return _schedule_in_words(obj) if obj.pk else "–"


for _model, _admin_class in ((PeriodicTask, StaffPeriodicTaskAdmin), (CrontabSchedule, StaffCrontabScheduleAdmin)):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
    admin.site.register(_model, _admin_class)

# Names only, read by the admin's pages: the models' migration state keeps the library's own (original_attrs).
TOTPDevice._meta.verbose_name = _("appareil de double authentification")
TOTPDevice._meta.verbose_name_plural = _("appareils de double authentification")
CrontabSchedule._meta.verbose_name = _("planification cron")
CrontabSchedule._meta.verbose_name_plural = _("planifications cron")
