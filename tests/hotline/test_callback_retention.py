"""Call-back requests are kept a year after they were received, then deleted with their admin-log names."""

import datetime as dt

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from hotline import tasks
from hotline.models import CallbackRequest
from hotline.services import CALLBACK_REQUEST_RETENTION

pytestmark = pytest.mark.django_db


def _request(name: str, age: dt.timedelta) -> CallbackRequest:
    request = CallbackRequest.objects.create(name=name, email=f"{name.lower()}@example.org", topic="other",
                                             message="Rappelez-moi")
    CallbackRequest.objects.filter(pk=request.pk).update(created_at=timezone.now() - age)
    return request


def test_requests_older_than_a_year_are_deleted_and_recent_ones_kept(coordinator):
    old = _request("Ancienne", CALLBACK_REQUEST_RETENTION + dt.timedelta(days=1))
    recent = _request("Recente", CALLBACK_REQUEST_RETENTION - dt.timedelta(days=1))
    LogEntry.objects.create(user=coordinator, content_type=ContentType.objects.get_for_model(CallbackRequest),
                            object_id=str(old.pk), object_repr=str(old), action_flag=CHANGE,
                            change_message="Ancienne rappelée")

    assert tasks.purge_old_callback_requests.delay().get() == 1

    assert list(CallbackRequest.objects.values_list("pk", flat=True)) == [recent.pk]
    entry = LogEntry.objects.get(object_id=str(old.pk))
    assert "Ancienne" not in entry.object_repr and "Ancienne" not in entry.change_message
