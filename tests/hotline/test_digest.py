import datetime as dt
import smtplib

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from hotline import services as hotline_services
from hotline.models import HotlineCall
from hotline.tasks import hotline_digest_dispatch, hotline_digest_send
from tescforce.models import SentLog
from tests import factories
from tests.mail_backends import FAILING


@pytest.fixture
def follow_ups(candidate, hotline_agent, coordinator):
    today = timezone.localdate()
    HotlineCall.objects.create(candidate=candidate, topic="session", summary="Rappeler",
                               follow_up_due=today, follow_up_owner=hotline_agent)
    HotlineCall.objects.create(caller_name="Jean Inconnu", topic="other", summary="En attente",
                               follow_up_due=today - dt.timedelta(days=3), follow_up_owner=hotline_agent)
    HotlineCall.objects.create(candidate=candidate, topic="training", summary="Plus tard",
                               follow_up_due=today + dt.timedelta(days=5), follow_up_owner=coordinator)
    HotlineCall.objects.create(candidate=candidate, topic="training", summary="Déjà fait",
                               follow_up_due=today - dt.timedelta(days=1), follow_up_owner=coordinator,
                               follow_up_done_at=timezone.now())


@pytest.mark.django_db
def test_digest_runs_twice_but_sends_one_email_per_owner(follow_ups, hotline_agent):
    assert hotline_digest_dispatch() == 1
    assert hotline_digest_dispatch() == 1
    hotline_digest_send(hotline_agent.pk, timezone.localdate().isoformat())
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [hotline_agent.email]
    assert "Hélène Dupont" in message.body and "Jean Inconnu" in message.body
    assert "En retard" in message.body and "/pilotage/hotline/relances/" in message.body
    log = SentLog.objects.get()
    assert (log.kind, log.user, log.period, log.items) == (
        hotline_services.DIGEST_KIND, hotline_agent, timezone.localdate(), 2)


@pytest.mark.django_db
def test_two_owners_get_one_digest_each_and_the_next_day_another(follow_ups, hotline_agent, coordinator):
    HotlineCall.objects.create(caller_name="X", topic="other", summary="Dû aujourd'hui",
                               follow_up_due=timezone.localdate(), follow_up_owner=coordinator)
    hotline_digest_dispatch()
    hotline_digest_dispatch()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([hotline_agent.email, coordinator.email])
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    assert hotline_services.follow_up_digest_send(owner=hotline_agent, day=tomorrow) is True
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_a_failed_send_leaves_no_record_so_the_retry_sends(follow_ups, hotline_agent, monkeypatch):
    monkeypatch.setattr(settings, "EMAIL_BACKEND", FAILING)
    with pytest.raises(smtplib.SMTPServerDisconnected):
        hotline_services.follow_up_digest_send(owner=hotline_agent, day=timezone.localdate())
    assert not SentLog.objects.exists()
    monkeypatch.undo()
    assert hotline_services.follow_up_digest_send(owner=hotline_agent, day=timezone.localdate()) is True
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_no_digest_for_an_inactive_owner_or_nothing_due(candidate):
    gone = factories.UserFactory(username="parti", is_active=False)
    HotlineCall.objects.create(candidate=candidate, topic="other", summary="x",
                               follow_up_due=timezone.localdate(), follow_up_owner=gone)
    assert hotline_digest_dispatch() == 0
    assert mail.outbox == []


def test_digest_is_in_the_beat_schedule():
    entry = settings.CELERY_BEAT_SCHEDULE["hotline-follow-up-digest"]
    assert entry["task"] == hotline_digest_dispatch.name


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_sending_the_same_digest_at_once_send_it_once(hotline_agent, candidate):
    import threading

    from django.db import connection

    HotlineCall.objects.create(candidate=candidate, topic="session", summary="Rappeler",
                               follow_up_due=timezone.localdate(), follow_up_owner=hotline_agent)
    barrier = threading.Barrier(2)
    results = []

    def worker():
        try:
            barrier.wait()
            results.append(hotline_services.follow_up_digest_send(owner=hotline_agent, day=timezone.localdate()))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False, True]
    assert len(mail.outbox) == 1
    assert SentLog.objects.filter(kind=hotline_services.DIGEST_KIND).count() == 1
