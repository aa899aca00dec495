"""Bookings made before e-tickets each get a nonce of their own, so each has its own valid ticket."""

import datetime as dt

import pytest
from django.utils import timezone

from events.models import Registration
from events.tickets import ticket_code, ticket_verify
from tests.migrations import migrate_to_latest, migrated_back_to

BEFORE = [("events", "0004_registration_created_index")]


@pytest.mark.django_db(transaction=True)
def test_existing_bookings_get_distinct_nonces_and_valid_tickets():
    with migrated_back_to(BEFORE, nothing_written=True) as old:
        programme = old.get_model("events", "Programme").objects.create(name="Numéric Emploi", slug="ne")
        edition = old.get_model("events", "Edition").objects.create(
            programme=programme, number=2, name="2e édition", year=2026, starts_on=dt.date(2026, 3, 21))
        start = timezone.now() + dt.timedelta(days=10)
        session = old.get_model("events", "Session").objects.create(
            edition=edition, title="Job dating Albi", city="Albi", format="job_dating", starts_at=start,
            ends_at=start + dt.timedelta(hours=3), capacity=10)
        Candidate = old.get_model("candidates", "Candidate")
        Booking = old.get_model("events", "Registration")
        ids = [Booking.objects.create(session=session, status="confirmed", candidate=Candidate.objects.create(
            first_name=f"P{n}", last_name="Test", email=f"p{n}@example.org")).pk for n in range(3)]
        migrate_to_latest()

    bookings = list(Registration.objects.filter(pk__in=ids))
    nonces = {booking.ticket_nonce for booking in bookings}
    assert len(nonces) == 3 and "" not in nonces
    for booking in bookings:
        assert ticket_verify(ticket_code(booking)) == booking
