"""Real parallel transactions on PostgreSQL: the seat count never goes over capacity."""

import contextlib
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from events import services
from events.models import Registration
from tests import factories

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _run_in_parallel(jobs, workers=20):
    """Run each job in its own thread and connection, all released at once; return the errors."""
    barrier = threading.Barrier(min(workers, len(jobs)))
    errors = []

    def run(job):
        try:
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait(timeout=30)
            job()
        except Exception as exc:  # collected, then asserted on
            errors.append(exc)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(run, jobs))
    return errors


def test_200_simultaneous_bookings_fill_25_seats_and_waitlist_the_rest(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    session = factories.SessionFactory(capacity=25)
    candidates = [factories.CandidateFactory() for _ in range(200)]
    jobs = [lambda c=c: services.registration_book(session=session, candidate=c) for c in candidates]
    errors = _run_in_parallel(jobs)
    assert errors == []
    assert Registration.objects.filter(session=session, status="confirmed").count() == 25
    assert Registration.objects.filter(session=session, status="waitlisted").count() == 175


def test_same_candidate_booking_20_times_at_once_gets_one_booking():
    session = factories.SessionFactory(capacity=25)
    candidate = factories.CandidateFactory()
    results = []
    errors = _run_in_parallel(
        [lambda: results.append(services.registration_book(session=session, candidate=candidate).pk)] * 20)
    assert errors == []
    assert len(set(results)) == 1
    assert Registration.objects.filter(session=session).count() == 1


def test_10_cancellations_racing_50_bookings_promote_exactly_10():
    session = factories.SessionFactory(capacity=25)
    holders = [services.registration_book(session=session, candidate=factories.CandidateFactory())
               for _ in range(25)]
    waiting = [services.registration_book(session=session, candidate=factories.CandidateFactory())
               for _ in range(30)]
    assert {r.status for r in waiting} == {"waitlisted"}
    newcomers = [factories.CandidateFactory() for _ in range(50)]
    jobs = [lambda r=r: services.registration_cancel(registration=r) for r in holders[:10]]
    jobs += [lambda c=c: services.registration_book(session=session, candidate=c) for c in newcomers]
    errors = _run_in_parallel(jobs)
    assert errors == []
    regs = Registration.objects.filter(session=session)
    assert regs.filter(status="confirmed").count() == 25
    assert regs.filter(status="cancelled").count() == 10
    # The ten freed seats went to the first ten on the waitlist, in order, each once.
    promoted = list(regs.filter(pk__in=[r.pk for r in waiting], status="confirmed").values_list("pk", flat=True))
    assert sorted(promoted) == sorted(r.pk for r in waiting[:10])
    assert regs.filter(candidate__in=newcomers, status="confirmed").count() == 0
    assert regs.filter(status="waitlisted").count() == 20 + 50


def test_two_reminder_runs_at_once_send_each_reminder_once():
    import datetime as dt

    from django.core import mail
    from django.utils import timezone

    from events.models import MessageSent

    start = timezone.now() + dt.timedelta(hours=12)
    session = factories.SessionFactory(starts_at=start, ends_at=start + dt.timedelta(hours=2), capacity=40)
    regs = [factories.RegistrationFactory(session=session) for _ in range(30)]
    Registration.objects.filter(pk__in=[r.pk for r in regs]).update(created_at=timezone.now() - dt.timedelta(days=9))
    mail.outbox = []
    errors = _run_in_parallel([services.reminders_send_due] * 4, workers=4)
    assert errors == []
    assert MessageSent.objects.filter(kind="d1").count() == 30
    assert len(mail.outbox) == 30
    assert len({m.to[0] for m in mail.outbox}) == 30
