from tescforce.tasks import retrying_task

from . import services


@retrying_task(name=services.ACKNOWLEDGE_TASK)
def acknowledge_contact_request(contact_request_id: int) -> bool:
    """Send the acknowledgement of a contact request (once, whatever the retries)."""
    return services.contact_request_acknowledge(contact_request_id=contact_request_id)


@retrying_task
def purge_old_contact_requests() -> int:
    """Nightly: delete contact requests older than their retention period."""
    return services.contact_requests_purge_old()
