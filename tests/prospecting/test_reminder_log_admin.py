"""The reminders page of the admin shows the sent log's reminder rows only, to whom it showed them before."""

import datetime as dt

import pytest

from hotline.services import DIGEST_KIND
from prospecting.models import REMINDER_KIND
from tescforce.models import SentLog
from tescforce.sentlog import claim_once

from .. import factories

URL = "/admin/prospecting/remindersent/"
DAY = dt.date(2026, 11, 2)


@pytest.fixture
def logs(prospecting_officer, hotline_agent):
    claim_once(kind=REMINDER_KIND, user=prospecting_officer, period=DAY, items=3,
               counts={"next_steps": 1, "meetings_to_complete": 2})
    claim_once(kind=DIGEST_KIND, user=hotline_agent, period=DAY, items=4)
    return {log.kind: log for log in SentLog.objects.all()}


@pytest.mark.django_db
def test_the_reminders_page_lists_reminders_with_their_counts_and_no_digest(client_for, logs):
    client = client_for(factories.UserFactory(username="root", is_superuser=True))
    response = client.get(URL)
    assert response.status_code == 200
    assert [row.pk for row in response.context["cl"].result_list] == [logs[REMINDER_KIND].pk]
    page = response.content.decode()
    assert "prospection" in page and "hotline" not in page.split('id="result_list"')[1]
    assert client.get(URL, {"o": "4"}).status_code == 200  # sorted by a count
    assert client.get(f"{URL}{logs[REMINDER_KIND].pk}/change/").status_code == 200
    # A digest row is not reached through the reminders page, nor is the whole log registered anywhere.
    assert client.get(f"{URL}{logs[DIGEST_KIND].pk}/change/").status_code == 302
    assert client.get("/admin/tescforce/sentlog/").status_code == 404


@pytest.mark.django_db
def test_the_reminders_page_is_read_only(client_for, logs):
    client = client_for(factories.UserFactory(username="root", is_superuser=True))
    assert client.get(f"{URL}add/").status_code == 403
    pk = logs[REMINDER_KIND].pk
    client.post(f"{URL}{pk}/change/", {"period": "2026-01-01"})
    assert SentLog.objects.get(pk=pk).period == DAY


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["prospecting_officer", "coordinator", "hotline_agent", "recruiter_a"])
def test_staff_without_the_permission_do_not_see_the_reminders(client_for, logs, request, who):
    client = client_for(request.getfixturevalue(who))
    assert client.get(URL).status_code == 403
    assert client.get(f"{URL}{logs[REMINDER_KIND].pk}/change/").status_code == 403
