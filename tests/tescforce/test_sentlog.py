"""The one sent log of messages that go once per person and day: the database lets one claim through."""

import datetime as dt
import threading
import time

import pytest
from django.db import connection, transaction

from tescforce.models import SentLog
from tescforce.sentlog import claim_once
from tests import factories

DAY = dt.date(2026, 12, 7)


@pytest.mark.django_db
def test_a_second_claim_for_the_same_person_kind_and_day_is_refused(hotline_agent, coordinator):
    assert claim_once(kind="hotline.digest", user=hotline_agent, period=DAY, items=2) is True
    assert claim_once(kind="hotline.digest", user=hotline_agent, period=DAY, items=5) is False
    # Another kind, person or day is another message.
    assert claim_once(kind="prospecting.reminder", user=hotline_agent, period=DAY) is True
    assert claim_once(kind="hotline.digest", user=coordinator, period=DAY) is True
    assert claim_once(kind="hotline.digest", user=hotline_agent, period=DAY + dt.timedelta(days=1)) is True
    assert SentLog.objects.get(kind="hotline.digest", user=hotline_agent, period=DAY).items == 2
    assert SentLog.objects.count() == 4


@pytest.mark.django_db
def test_a_refused_claim_leaves_the_callers_transaction_usable(hotline_agent):
    claim_once(kind="hotline.digest", user=hotline_agent, period=DAY)
    with transaction.atomic():
        assert claim_once(kind="hotline.digest", user=hotline_agent, period=DAY) is False
        assert SentLog.objects.count() == 1  # would fail in a broken PostgreSQL transaction


@pytest.mark.django_db
def test_a_send_that_fails_after_the_claim_rolls_it_back(hotline_agent):
    with pytest.raises(OSError), transaction.atomic():
        assert claim_once(kind="hotline.digest", user=hotline_agent, period=DAY, counts={"overdue": 1}) is True
        raise OSError("the mail server hung up")
    assert not SentLog.objects.exists()
    assert claim_once(kind="hotline.digest", user=hotline_agent, period=DAY) is True


@pytest.mark.django_db
def test_the_log_goes_with_the_person(hotline_agent):
    leaving = factories.UserFactory(username="partant")
    claim_once(kind="hotline.digest", user=leaving, period=DAY)
    claim_once(kind="hotline.digest", user=hotline_agent, period=DAY)
    leaving.delete()
    assert list(SentLog.objects.values_list("user", flat=True)) == [hotline_agent.pk]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_claims_racing_in_threads_let_exactly_one_through(hotline_agent):
    barrier = threading.Barrier(4)
    results = []

    def worker():
        try:
            barrier.wait()
            # Hold the transaction open after the insert, as a send would: the others wait on the unique index.
            with transaction.atomic():
                won = claim_once(kind="hotline.digest", user=hotline_agent, period=DAY, items=1)
                time.sleep(0.2)
            results.append(won)
        except Exception as exc:  # the assertion shows it
            results.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False, False, False, True]
    assert SentLog.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_claim_waiting_on_one_that_rolls_back_goes_through(hotline_agent):
    first_inserted = threading.Event()
    results = {}

    def first():
        try:
            with pytest.raises(OSError), transaction.atomic():
                results["first"] = claim_once(kind="hotline.digest", user=hotline_agent, period=DAY)
                first_inserted.set()
                time.sleep(0.3)
                raise OSError("the send failed")
        finally:
            connection.close()

    def second():
        try:
            first_inserted.wait(5)
            with transaction.atomic():
                results["second"] = claim_once(kind="hotline.digest", user=hotline_agent, period=DAY)
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == {"first": True, "second": True}
    assert SentLog.objects.count() == 1
