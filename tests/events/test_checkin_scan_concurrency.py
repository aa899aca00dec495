"""Desks scanning one ticket at the same instant, on PostgreSQL: one arrival, the others refused as a second use."""

import datetime as dt
import uuid

import pytest
from django.test import Client

from events import services
from events.models import Registration
from events.tickets import TicketError, ticket_code
from tescforce import roles
from tests import factories
from tests.concurrency import run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def session(settings):
    settings.CHECKIN_OPENS_AT = "00:00"
    start = factories.today_from_now(dt.timedelta(minutes=1))
    return factories.SessionFactory(capacity=20, starts_at=start, ends_at=start + dt.timedelta(hours=3))


def _desks(n):
    return [factories.UserFactory(username=f"accueil-{i}", groups=[roles.HOTLINE]) for i in range(n)]


def test_four_desks_scanning_one_ticket_at_once_check_the_person_in_once(session):
    desks = _desks(4)
    for _round in range(5):
        booking = services.registration_book(session=session, candidate=factories.CandidateFactory())
        code = ticket_code(booking)
        turn = iter(desks)

        def scan(code=code, turn=turn):
            return services.registration_check_in_by_ticket(code=code, session=session, by=next(turn),
                                                            scan_id=uuid.uuid4())

        results = run_together(scan, times=4)
        wins = [r for r in results if isinstance(r, tuple)]
        refusals = [r for r in results if isinstance(r, TicketError)]
        assert len(wins) == 1 and wins[0][1] is False, results
        assert len(refusals) == 3 and {r.reason for r in refusals} == {"already_checked_in"}, results
        stored = Registration.objects.get(pk=booking.pk)
        assert stored.status == "attended" and stored.checked_in_by == wins[0][0].checked_in_by
        winner = stored.checked_in_by.get_full_name()
        assert all(winner in str(r.message) for r in refusals)


def test_one_scan_sent_twice_at_once_after_a_network_loss_is_one_arrival(session):
    booking = services.registration_book(session=session, candidate=factories.CandidateFactory())
    desk, scan_id = _desks(1)[0], uuid.uuid4()
    results = run_together(lambda: services.registration_check_in_by_ticket(
        code=ticket_code(booking), session=session, by=desk, scan_id=scan_id), times=3)
    assert sorted(replayed for _reg, replayed in results) == [False, True, True], results
    assert Registration.objects.filter(pk=booking.pk, status="attended", checked_in_scan=scan_id).count() == 1


def test_two_desks_posting_the_same_ticket_get_one_welcome_and_one_refusal(session):
    booking = services.registration_book(session=session, candidate=factories.CandidateFactory())
    clients = []
    for desk in _desks(2):
        client = Client()
        client.force_login(desk)
        clients.append(client)
    turn = iter(clients)

    def post():
        response = next(turn).post(f"/pilotage/sessions/{session.pk}/accueil/billet/",
                                   {"code": ticket_code(booking), "scan_id": str(uuid.uuid4())},
                                   HTTP_ACCEPT="application/json")
        return response.status_code, response.json()["result"]

    assert sorted(run_together(post, times=2)) == [(200, "checked_in"), (409, "refused")]
    assert Registration.objects.get(pk=booking.pk).status == "attended"
