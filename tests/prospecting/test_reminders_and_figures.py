import datetime as dt
from smtplib import SMTPServerDisconnected

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from prospecting import services
from prospecting.models import REMINDER_KIND, Meeting, ReminderSent
from prospecting.selectors import figures
from prospecting.tasks import send_daily_reminders, send_owner_reminder
from tescforce.models import SentLog, YearTarget

from .. import factories
from ..mail_backends import FAILING
from .conftest import past_meeting


@pytest.fixture
def due_work(prospect, prospecting_officer):
    """The officer has one next step due and one meeting to complete; a colleague has one next step."""
    colleague = factories.UserFactory(username="collegue", groups=["Chargés de prospection"])
    past_meeting(prospect, outcome="follow_up", next_step="Send the showroom sheets",
                 next_step_due=timezone.localdate(), next_step_owner=prospecting_officer)
    past_meeting(prospect, place="Hsinchu")  # no outcome: to complete
    past_meeting(prospect, outcome="positive", next_step="Visit Toulouse", next_step_owner=colleague,
                 next_step_due=timezone.localdate() - dt.timedelta(days=1))
    past_meeting(prospect, outcome="positive", next_step="Later", next_step_owner=colleague,
                 next_step_due=timezone.localdate() + dt.timedelta(days=10))
    return colleague


@pytest.mark.django_db
def test_daily_reminder_reaches_each_owner_once_even_when_run_twice(due_work, prospecting_officer):
    assert send_daily_reminders.apply().get() == 2
    assert send_daily_reminders.apply().get() == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([prospecting_officer.email, due_work.email])
    officer_mail = next(m for m in mail.outbox if m.to == [prospecting_officer.email])
    assert "Send the showroom sheets" in officer_mail.body
    assert "Ubiik" in officer_mail.body
    colleague_mail = next(m for m in mail.outbox if m.to == [due_work.email])
    assert "Visit Toulouse" in colleague_mail.body
    assert "Later" not in colleague_mail.body
    assert SentLog.objects.filter(kind=REMINDER_KIND).count() == 2
    officer_log = ReminderSent.objects.get(user=prospecting_officer)
    assert (officer_log.items, officer_log.next_steps, officer_log.meetings_to_complete) == (2, 1, 1)


@pytest.mark.django_db
def test_retried_owner_task_does_not_send_twice(due_work, prospecting_officer):
    day = timezone.localdate().isoformat()
    assert send_owner_reminder.apply(args=[prospecting_officer.pk, day]).get() is True
    assert send_owner_reminder.apply(args=[prospecting_officer.pk, day]).get() is False
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_failed_send_is_rolled_back_so_the_retry_sends(due_work, prospecting_officer, monkeypatch):
    monkeypatch.setattr(settings, "EMAIL_BACKEND", FAILING)
    with pytest.raises(SMTPServerDisconnected):
        services.reminder_send(user=prospecting_officer, day=timezone.localdate())
    assert not SentLog.objects.exists()
    monkeypatch.undo()
    assert services.reminder_send(user=prospecting_officer, day=timezone.localdate()) is True
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_nothing_due_means_no_reminder(prospect, prospecting_officer):
    past_meeting(prospect, outcome="positive")
    assert send_daily_reminders.apply().get() == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_figures_count_meetings_and_settlements_against_the_targets(prospect, prospecting_officer, campaign):
    year = timezone.localdate().year
    YearTarget.objects.update_or_create(year=year, defaults={"meetings": 400, "settlements": 3})
    other_officer = factories.UserFactory(username="autre", groups=["Chargés de prospection"])
    tunisia = factories.ProspectFactory(name="Wattnow", country="TN", owner=other_officer)
    start_of_year = dt.datetime(year, 1, 1, tzinfo=dt.UTC) - dt.timedelta(hours=1)  # 00:00 Paris on 1 January
    for _ in range(3):
        past_meeting(prospect)
    past_meeting(tunisia, officer=other_officer, campaign=None)
    past_meeting(prospect, starts_at=start_of_year)  # still this year in Paris
    past_meeting(prospect, starts_at=start_of_year - dt.timedelta(minutes=1))  # last year
    past_meeting(prospect, starts_at=timezone.now() + dt.timedelta(days=1))  # not yet happened
    services.settlement_record(prospect=tunisia, settled_on=timezone.localdate(), site_city="Toulouse")

    result = figures(year)
    assert (result["meetings"], result["settlements"]) == (5, 1)
    assert (result["target_meetings"], result["target_settlements"]) == (400, 3)
    assert result["meetings_pct"] == 1.2
    assert result["settlements_pct"] == 33.3
    assert sum(result["by_month"]) == 5 and result["by_month"][0] >= 1  # the 00:00 Paris one is January's
    by_campaign = {row["label"]: (row["meetings"], row["settlements"]) for row in result["by_campaign"]}
    assert by_campaign == {"Computex Taipei": (4, 0), None: (1, 1)}
    by_country = {row["id"]: (row["meetings"], row["settlements"]) for row in result["by_country"]}
    assert by_country == {"TW": (4, 0), "TN": (1, 1)}
    assert {row["label"] for row in result["by_country"]} == {"Taïwan", "Tunisie"}
    by_officer = {row["id"]: (row["meetings"], row["settlements"]) for row in result["by_officer"]}
    assert by_officer == {prospecting_officer.pk: (4, 0), other_officer.pk: (1, 1)}

    assert figures(year, campaign=campaign)["meetings"] == 4
    assert figures(year, country="TN")["settlements"] == 1
    assert figures(year, officer=other_officer)["meetings"] == 1
    assert figures(year - 1)["meetings"] == 1
    assert figures(year + 5)["target_meetings"] == 400  # the plan's default when no target was set


@pytest.mark.django_db
def test_figures_count_database_rows_not_python_objects(prospect, django_assert_max_num_queries):
    for _ in range(20):
        past_meeting(prospect)
    with django_assert_max_num_queries(10):
        result = figures(timezone.localdate().year)
    assert result["meetings"] == 20
    assert Meeting.objects.count() == 20
