"""The command that sends waiting session e-mails when no worker runs (the embedded default)."""

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from events.models import MessageSent
from events.services import message_record
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_message_left_pending_is_sent_by_the_command_once():
    # Recorded, but its send never ran (no commit here): what a failed in-process send leaves.
    registration = factories.RegistrationFactory(status="confirmed")
    message_record(kind=MessageSent.Kind.CONFIRMED, registration=registration, variant="v1")
    MessageSent.objects.update(created_at=timezone.now() - dt.timedelta(hours=1))

    out = StringIO()
    call_command("send_pending_messages", stdout=out)
    call_command("send_pending_messages", stdout=StringIO())

    assert out.getvalue().strip() == "1 message(s) sent"
    assert [m.to for m in mail.outbox] == [[registration.candidate.email]]
    assert MessageSent.objects.get().state == "sent"
