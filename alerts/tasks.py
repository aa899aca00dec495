from tescforce.tasks import retrying_task

from . import services


@retrying_task
def send_due_alerts() -> dict[str, int]:
    """Every 15 minutes: send the alerts that are due (immediate ones every pass, weekly ones once a week)."""
    return services.alerts_send_due()
