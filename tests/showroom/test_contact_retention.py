"""Showroom contact requests are kept a year after they were received, then deleted with their traces."""

import datetime as dt

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from showroom import tasks
from showroom.models import ContactRequest
from showroom.services import CONTACT_REQUEST_RETENTION
from tests import factories

pytestmark = pytest.mark.django_db


def _request(name: str, age: dt.timedelta) -> ContactRequest:
    request = ContactRequest.objects.create(use_case=factories.UseCaseFactory(), name=name,
                                            email=f"{name.lower()}@example.org", organisation="Acme",
                                            message="Bonjour")
    ContactRequest.objects.filter(pk=request.pk).update(created_at=timezone.now() - age)
    return request


def test_requests_older_than_a_year_are_deleted_and_recent_ones_kept(coordinator):
    old = _request("Ancienne", CONTACT_REQUEST_RETENTION + dt.timedelta(days=1))
    recent = _request("Recente", CONTACT_REQUEST_RETENTION - dt.timedelta(days=1))
    LogEntry.objects.create(user=coordinator, content_type=ContentType.objects.get_for_model(ContactRequest),
                            object_id=str(old.pk), object_repr=str(old), action_flag=CHANGE,
                            change_message="Ancienne traitée")

    assert tasks.purge_old_contact_requests.delay().get() == 1

    assert list(ContactRequest.objects.values_list("pk", flat=True)) == [recent.pk]
    entry = LogEntry.objects.get(object_id=str(old.pk))
    assert "Ancienne" not in entry.object_repr and "Ancienne" not in entry.change_message
