"""Nightly housekeeping: expired sessions and old login records do not pile up."""

import datetime as dt

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from tescforce import tasks
from tescforce.celery import app

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN_RECORDS = (AccessAttempt, AccessFailureLog, AccessLog)


def test_housekeeping_jobs_are_on_the_nightly_schedule_and_known_to_the_worker():
    scheduled = {entry["task"] for entry in django_settings.CELERY_BEAT_SCHEDULE.values()}
    for name in ("tescforce.tasks.clear_expired_sessions", "tescforce.tasks.purge_old_login_records",
                 "showroom.tasks.purge_old_contact_requests", "hotline.tasks.purge_old_callback_requests"):
        assert name in scheduled
        assert name in app.tasks


def test_expired_sessions_are_deleted_and_live_ones_kept(client, coordinator):
    client.force_login(coordinator)
    other = Client()
    other.force_login(coordinator)
    Session.objects.filter(session_key=other.session.session_key).update(
        expire_date=timezone.now() - dt.timedelta(minutes=1))
    assert Session.objects.count() == 2
    tasks.clear_expired_sessions.delay().get()
    assert list(Session.objects.values_list("session_key", flat=True)) == [client.session.session_key]
    assert client.get("/admin/").status_code == 200


def test_login_records_older_than_the_setting_are_purged(settings, login_form, coordinator):
    settings.AXES_ENABLE_ACCESS_FAILURE_LOG = True
    settings.LOGIN_RECORDS_RETENTION_DAYS = 30
    login_form("coordinatrice", "wrong-password-123", ip="203.0.113.7")
    assert login_form("coordinatrice", PASSWORD, ip="203.0.113.8").status_code == 302
    for model in LOGIN_RECORDS:
        model.objects.update(attempt_time=timezone.now() - dt.timedelta(days=31))
    # Recent ones, from another address: they stay.
    login_form("intrus", "wrong-password-123", ip="198.51.100.9")
    cutoff = timezone.now() - dt.timedelta(days=30)
    old = {model: model.objects.filter(attempt_time__lt=cutoff).count() for model in LOGIN_RECORDS}
    recent = {model: set(model.objects.filter(attempt_time__gte=cutoff).values_list("pk", flat=True))
              for model in LOGIN_RECORDS}
    assert old[AccessLog] and old[AccessFailureLog] and recent[AccessAttempt] and recent[AccessFailureLog]

    assert tasks.purge_old_login_records.delay().get() == sum(old.values())

    for model, pks in recent.items():
        assert set(model.objects.values_list("pk", flat=True)) == pks
    assert tasks.purge_old_login_records.delay().get() == 0
