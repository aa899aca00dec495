import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from prospecting import services
from prospecting.models import REMINDER_KIND, Settlement
from tescforce.models import SentLog
from tests.concurrency import run_together

from .conftest import past_meeting


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_sending_the_same_reminder_send_one_email(prospect, prospecting_officer):
    past_meeting(prospect)  # to complete
    day = timezone.localdate()
    results = run_together(lambda: services.reminder_send(user=prospecting_officer, day=day), times=3)
    assert sorted(results) == [False, False, True]
    assert len(mail.outbox) == 1
    assert SentLog.objects.filter(kind=REMINDER_KIND).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_officers_recording_the_same_settlement_record_one(prospect):
    results = run_together(lambda: services.settlement_record(
        prospect=prospect, settled_on=dt.date(2026, 9, 1), site_city="Toulouse"))
    assert sum(isinstance(r, Settlement) for r in results) == 1
    assert sum(isinstance(r, services.ProspectingError) for r in results) == 1
    assert prospect.stage_changes.filter(to_stage="settled").count() == 1
