import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from candidates.models import Qualification
from events import selectors, services
from events.models import Registration
from events.services import BookingError
from tests import factories

pytestmark = pytest.mark.django_db


def test_booking_confirms_while_seats_remain_then_waitlists(session, make_candidate,
                                                           django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.registration_book(session=session, candidate=make_candidate())
        second = services.registration_book(session=session, candidate=make_candidate())
        third = services.registration_book(session=session, candidate=make_candidate())
        fourth = services.registration_book(session=session, candidate=make_candidate())
    assert [r.status for r in (first, second, third, fourth)] == ["confirmed", "confirmed", "waitlisted",
                                                                  "waitlisted"]
    assert selectors.waitlist_position(third) == 1
    assert selectors.waitlist_position(fourth) == 2
    assert len(mail.outbox) == 4
    assert mail.outbox[0].attachments[0][0].endswith(".ics")
    assert "position 2" in mail.outbox[3].body


def test_booking_twice_returns_the_existing_booking(session, candidate):
    first = services.registration_book(session=session, candidate=candidate)
    again = services.registration_book(session=session, candidate=candidate)
    assert again.pk == first.pk
    assert Registration.objects.filter(session=session).count() == 1


@pytest.mark.parametrize("change", [
    {"is_published": False},
    {"registration_closes_at": timezone.now() - dt.timedelta(hours=1)},
    {"registration_opens_at": timezone.now() + dt.timedelta(days=1)},
])
def test_unpublished_closed_or_not_yet_open_sessions_refuse_bookings(session, candidate, change):
    for field, value in change.items():
        setattr(session, field, value)
    session.save()
    with pytest.raises(BookingError):
        services.registration_book(session=session, candidate=candidate)
    assert not Registration.objects.exists()


def test_past_session_refuses_bookings(past_session, candidate):
    with pytest.raises(BookingError):
        services.registration_book(session=past_session, candidate=candidate)


def test_erased_candidate_cannot_book(session, make_candidate):
    erased = make_candidate(anonymised_at=timezone.now())
    with pytest.raises(BookingError):
        services.registration_book(session=session, candidate=erased)


def test_cancellation_promotes_the_first_waitlisted_and_tells_them(session, make_candidate,
                                                                   django_capture_on_commit_callbacks):
    regs = [services.registration_book(session=session, candidate=make_candidate()) for _ in range(4)]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=regs[0])
    statuses = {r.pk: r.status for r in Registration.objects.all()}
    assert statuses[regs[0].pk] == "cancelled"
    assert statuses[regs[2].pk] == "confirmed"
    assert statuses[regs[3].pk] == "waitlisted"
    by_to = {m.to[0]: m for m in mail.outbox}
    assert len(mail.outbox) == 2
    assert "place s'est libérée" in by_to[regs[2].candidate.email].subject
    assert by_to[regs[0].candidate.email].subject.startswith("Inscription annulée")


def test_cancelling_a_waitlisted_booking_promotes_nobody(session, make_candidate):
    regs = [services.registration_book(session=session, candidate=make_candidate()) for _ in range(4)]
    services.registration_cancel(registration=regs[2])
    assert Registration.objects.get(pk=regs[3].pk).status == "waitlisted"
    assert selectors.waitlist_position(Registration.objects.get(pk=regs[3].pk)) == 1


def test_booking_again_after_cancelling_goes_to_the_end_of_the_queue(session, make_candidate):
    regs = [services.registration_book(session=session, candidate=make_candidate()) for _ in range(3)]
    services.registration_cancel(registration=regs[0])  # regs[2] promoted
    again = services.registration_book(session=session, candidate=regs[0].candidate)
    assert again.pk == regs[0].pk
    assert again.status == "waitlisted"


def test_raising_the_capacity_fills_seats_from_the_waitlist(session, make_candidate):
    regs = [services.registration_book(session=session, candidate=make_candidate()) for _ in range(4)]
    services.session_set_capacity(session=session, capacity=3)
    assert Registration.objects.get(pk=regs[2].pk).status == "confirmed"
    assert Registration.objects.get(pk=regs[3].pk).status == "waitlisted"


@pytest.mark.parametrize("capacity", [0, -3])
def test_capacity_zero_or_negative_is_refused(session, capacity):
    with pytest.raises(BookingError):
        services.session_set_capacity(session=session, capacity=capacity)


def test_capacity_below_confirmed_seats_is_refused_with_the_count(session, make_candidate):
    session.capacity = 5
    session.save()
    for _ in range(4):
        services.registration_book(session=session, candidate=make_candidate())
    with pytest.raises(BookingError) as exc:
        services.session_set_capacity(session=session, capacity=1)
    assert "annuler 3 inscription" in str(exc.value.message)
    session.refresh_from_db()
    assert session.capacity == 5


def test_walk_ins_are_let_in_over_capacity(session, make_candidate):
    for _ in range(2):
        services.registration_book(session=session, candidate=make_candidate())
    walk_in = services.registration_walk_in(session=session, candidate=make_candidate())
    assert walk_in.status == "attended" and walk_in.walk_in
    assert services.seats_taken(session) == 2
    assert selectors.session_figures(session=session)["candidates_met"] == 1


def test_check_in_is_idempotent_and_a_cancelled_booking_cannot_check_in(session, make_candidate):
    reg = services.registration_book(session=session, candidate=make_candidate())
    assert services.registration_check_in(registration=reg).status == "attended"
    assert services.registration_check_in(registration=reg).status == "attended"
    other = services.registration_book(session=session, candidate=make_candidate())
    services.registration_cancel(registration=other)
    with pytest.raises(BookingError):
        services.registration_check_in(registration=other)


def test_desk_finds_an_existing_candidate_by_email_in_any_case(candidate, coordinator):
    found = services.candidate_find_or_create_at_desk(first_name="X", last_name="Y", email="HELENE@example.org",
                                                      profile="retraining", recorded_by=coordinator)
    assert found.pk == candidate.pk
    new = services.candidate_find_or_create_at_desk(first_name="Jo", last_name="Nouveau", email="jo@example.org",
                                                    profile="job_seeker", recorded_by=coordinator)
    assert new.consents.get().channel == "desk"


def test_outcome_records_orientations_with_the_session_and_moves_the_pipeline(session, coordinator):
    candidate = factories.CandidateFactory(shown_to_recruiters=True)
    Qualification.objects.create(candidate=candidate, level="ready", motivation=4)
    company = factories.CompanyFactory()
    posting = factories.JobPostingFactory(company=company)
    reg = services.registration_book(session=session, candidate=candidate)
    services.registration_check_in(registration=reg)
    refusals = services.registration_record_outcome(registration=reg, outcome="oriented", postings=[posting],
                                                    companies=[company], by=coordinator)
    assert refusals == []
    orientation = candidate.orientations.get()
    assert orientation.session == session and orientation.posting == posting
    candidate.refresh_from_db()
    assert candidate.stage == "oriented"
    assert list(candidate.stage_changes.values_list("to_stage", flat=True)) == ["qualified", "oriented"]


def test_outcome_reports_what_the_pipeline_refuses(session, candidate, coordinator):
    company = factories.CompanyFactory()
    reg = services.registration_book(session=session, candidate=candidate)
    services.registration_check_in(registration=reg)
    refusals = services.registration_record_outcome(registration=reg, outcome="oriented", companies=[company],
                                                    by=coordinator)
    assert len(refusals) == 2  # no qualification form yet, no consent to be shown to recruiters
    assert Registration.objects.get(pk=reg.pk).outcome == "oriented"
    assert not candidate.orientations.exists()


def test_outcome_is_refused_for_someone_who_did_not_attend(session, candidate):
    reg = services.registration_book(session=session, candidate=candidate)
    with pytest.raises(BookingError):
        services.registration_record_outcome(registration=reg, outcome="qualified")


def test_emails_follow_the_candidates_language(session, make_candidate, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_book(session=session, candidate=make_candidate(language="en"))
    assert mail.outbox[0].subject.startswith("Your seat is booked")
    assert "/en/sessions/annulation/" in mail.outbox[0].body


def test_cancelling_a_candidates_upcoming_bookings_frees_their_seats(session, candidate, make_candidate):
    services.registration_book(session=session, candidate=candidate)
    services.registration_book(session=session, candidate=make_candidate())
    waiting = services.registration_book(session=session, candidate=make_candidate())
    assert services.registration_cancel_upcoming_for(candidate=candidate) == 1
    assert Registration.objects.get(pk=waiting.pk).status == "confirmed"
