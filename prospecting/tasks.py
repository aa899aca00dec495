from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.dateparse import parse_date

from tescforce.tasks import retrying_task

from . import selectors, services


@retrying_task
def send_owner_reminder(user_id: int, day: str) -> bool:
    """Send one owner's reminder for `day` (ISO date); a second run for the same day sends nothing."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    return services.reminder_send(user=user, day=parse_date(day))


@retrying_task(max_retries=3)
def send_daily_reminders() -> int:
    """Queue today's reminder for each owner with next steps due or meetings to complete."""
    day = timezone.localdate()
    user_ids = selectors.reminder_recipient_ids(day=day)
    for user_id in user_ids:
        send_owner_reminder.delay(user_id, day.isoformat())
    return len(user_ids)
