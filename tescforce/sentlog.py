"""Messages sent once per person and period (a daily reminder, a daily digest), recorded in `SentLog`.

The database decides, not a check in Python: the row's unique (kind, user, period) refuses a second one.
Call `claim_once` inside the transaction that sends, so that the row commits with the send, a failed send
rolls it back (a retry sends again) and a committed row turns every later attempt into a no-op:

    with transaction.atomic():
        if not claim_once(kind=DIGEST_KIND, user=owner, period=day, items=len(items)):
            return False
        send_templated(...)
"""

import datetime as dt

from django.db import IntegrityError, transaction

from .models import SentLog


def claim_once(*, kind: str, user, period: dt.date, items: int = 0, counts: dict[str, int] | None = None) -> bool:
    """Record the `kind` message of `period` to `user`; return False if it was recorded already.

    The insert runs in a savepoint: a refusal leaves the caller's transaction usable. Two callers at once
    on PostgreSQL: the second waits for the first to commit or roll back, then is refused or goes ahead.
    """
    try:
        with transaction.atomic():
            SentLog.objects.create(kind=kind, user=user, period=period, items=items, counts=counts or {})
    except IntegrityError:
        return False
    return True

