"""The two former "sent once a day" tables pour into the one sent log, rows and counts intact, and back."""

import datetime as dt

import pytest
from django.db import connection

from hotline.services import DIGEST_KIND
from prospecting.models import REMINDER_KIND, ReminderSent
from tescforce.models import SentLog
from tests.migrations import migrate_to_latest, migrated_back_to

BEFORE = [("tescforce", "0006_sentlog"), ("hotline", "0002_admin_wording"), ("prospecting", "0004_admin_wording")]
OLD_TABLES = {"candidates_hotlinedigestsent", "prospecting_remindersent"}


@pytest.fixture
def before_sent_log(transactional_db):
    """Yield the models as they were before the sent log took the rows; migrate forward again whatever happens."""
    with migrated_back_to(BEFORE, nothing_written=True) as apps:
        yield apps


def _write_old_rows(old):
    User = old.get_model("auth", "User")
    agent = User.objects.create(username="agent", is_staff=True)
    officer = User.objects.create(username="officer", is_staff=True)
    Digest = old.get_model("hotline", "HotlineDigestSent")
    Reminder = old.get_model("prospecting", "ReminderSent")
    digests = [Digest.objects.create(owner=agent, day=dt.date(2026, 3, day), items=day) for day in (2, 3)]
    reminders = [Reminder.objects.create(user=officer, day=dt.date(2026, 3, 2), next_steps=2, meetings_to_complete=1),
                 Reminder.objects.create(user=agent, day=dt.date(2026, 3, 2), next_steps=0, meetings_to_complete=4)]
    return digests, reminders


@pytest.mark.django_db(transaction=True)
def test_rows_of_both_former_tables_are_in_the_sent_log_after_the_migration(before_sent_log):
    digests, reminders = _write_old_rows(before_sent_log)

    migrate_to_latest()

    assert not OLD_TABLES & set(connection.introspection.table_names())
    assert sorted(SentLog.objects.filter(kind=DIGEST_KIND).values_list("user_id", "period", "items", "sent_at")) == [
        (d.owner_id, d.day, d.items, d.sent_at) for d in digests]
    assert sorted((r.user_id, r.period, r.items, r.next_steps, r.meetings_to_complete, r.sent_at)
                  for r in ReminderSent.objects.all()) == sorted(
        (r.user_id, r.day, r.next_steps + r.meetings_to_complete, r.next_steps, r.meetings_to_complete, r.sent_at)
        for r in reminders)
    assert SentLog.objects.count() == 4
    # The copied rows still refuse a second send of the same day.
    assert SentLog.objects.filter(kind=REMINDER_KIND, user_id=reminders[0].user_id, period=reminders[0].day).exists()


@pytest.mark.django_db(transaction=True)
def test_going_back_puts_the_rows_in_the_former_tables_again(before_sent_log):
    digests, reminders = _write_old_rows(before_sent_log)
    migrate_to_latest()

    with migrated_back_to(BEFORE) as old:
        Digest = old.get_model("hotline", "HotlineDigestSent")
        Reminder = old.get_model("prospecting", "ReminderSent")
        assert sorted(Digest.objects.values_list("owner_id", "day", "items", "sent_at")) == [
            (d.owner_id, d.day, d.items, d.sent_at) for d in digests]
        assert sorted(Reminder.objects.values_list("user_id", "day", "next_steps", "meetings_to_complete",
                                                   "sent_at")) == sorted(
            (r.user_id, r.day, r.next_steps, r.meetings_to_complete, r.sent_at) for r in reminders)
        assert not old.get_model("tescforce", "SentLog").objects.exists()
