"""Copy the periodic jobs of settings.CELERY_BEAT_SCHEDULE into django-celery-beat's tables."""

import json

from django.conf import settings
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask


def sync_beat_schedule(**kwargs) -> None:
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        schedule = entry["schedule"]
        defaults = {"task": entry["task"], "kwargs": json.dumps(entry.get("kwargs", {}))}
        if isinstance(schedule, int | float):
            interval, _ = IntervalSchedule.objects.get_or_create(every=int(schedule), period=IntervalSchedule.SECONDS)
            defaults |= {"interval": interval, "crontab": None}
        else:
            crontab, _ = CrontabSchedule.objects.get_or_create(
                minute=schedule._orig_minute, hour=schedule._orig_hour, day_of_week=schedule._orig_day_of_week,
                day_of_month=schedule._orig_day_of_month, month_of_year=schedule._orig_month_of_year,
                timezone=settings.TIME_ZONE,
            )
            defaults |= {"crontab": crontab, "interval": None}
        PeriodicTask.objects.update_or_create(name=name, defaults=defaults)
