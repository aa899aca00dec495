from celery import shared_task

from . import services


@shared_task(autoretry_for=(Exception,), retry_backoff=True, retry_backoff_max=600, max_retries=5,
             name=services.ACKNOWLEDGE_TASK)
def acknowledge_contact_request(contact_request_id: int) -> bool:
    """Send the acknowledgement of a contact request (once, whatever the retries)."""
    return services.contact_request_acknowledge(contact_request_id=contact_request_id)


@shared_task(autoretry_for=(Exception,), retry_backoff=True, retry_backoff_max=600, max_retries=5)
def purge_old_contact_requests() -> int:
    """Nightly: delete contact requests older than their retention period."""
    return services.contact_requests_purge_old()
