import datetime as dt

import pytest
from django.utils import timezone

from candidates.models import Qualification
from events import services
from events.admin import SessionForm
from events.models import Registration, Session, SessionCompany
from tests import factories
from tests.admin_pages import assert_refused

pytestmark = pytest.mark.django_db


def _session_post(session, **changes):
    local = timezone.localtime
    data = {
        "edition": session.edition_id, "title": session.title, "format": session.format, "is_published": "on",
        "city": session.city, "venue": session.venue, "address": session.address, "postcode": session.postcode,
        "online_url": "", "starts_at_0": local(session.starts_at).strftime("%d/%m/%Y"),
        "starts_at_1": local(session.starts_at).strftime("%H:%M:%S"),
        "ends_at_0": local(session.ends_at).strftime("%d/%m/%Y"),
        "ends_at_1": local(session.ends_at).strftime("%H:%M:%S"),
        "capacity": session.capacity, "registration_opens_at_0": "", "registration_opens_at_1": "",
        "registration_closes_at_0": "", "registration_closes_at_1": "", "programme_text": "",
    }
    for prefix in ("company_participations", "partner_participations", "registrations"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0", f"{prefix}-MIN_NUM_FORMS": "0",
                 f"{prefix}-MAX_NUM_FORMS": "1000"}
    data.update(changes)
    return data


def test_changelist_shows_confirmed_waitlisted_free_and_attendance(client_for, coordinator, session):
    regs = [services.registration_book(session=session, candidate=factories.CandidateFactory()) for _ in range(3)]
    services.registration_check_in(registration=regs[0])
    response = client_for(coordinator).get("/admin/events/session/")
    assert response.status_code == 200
    row = next(r for r in response.context["cl"].result_list if r.pk == session.pk)
    assert (row.n_seats, row.n_waitlisted, row.seats_left) == (2, 1, 0)
    assert "50%" in response.content.decode()  # one of the two seat holders came


def test_lowering_capacity_below_confirmed_seats_is_refused_with_the_number(client_for, coordinator, session):
    session.capacity = 5
    session.save()
    for _ in range(4):
        services.registration_book(session=session, candidate=factories.CandidateFactory())
    response = client_for(coordinator).post(f"/admin/events/session/{session.pk}/change/",
                                            _session_post(session, capacity="2"))
    assert response.status_code == 200
    assert "annuler 2 inscription" in response.content.decode()
    assert Session.objects.get(pk=session.pk).capacity == 5


@pytest.mark.parametrize("capacity", ["0", "-4"])
def test_capacity_zero_or_negative_is_refused_in_the_admin(client_for, coordinator, session, capacity):
    response = client_for(coordinator).post(f"/admin/events/session/{session.pk}/change/",
                                            _session_post(session, capacity=capacity))
    assert response.status_code == 200
    assert Session.objects.get(pk=session.pk).capacity == 2


def test_end_before_start_is_refused_in_the_admin(client_for, coordinator, session):
    before = timezone.localtime(session.starts_at - dt.timedelta(hours=1))
    response = client_for(coordinator).post(f"/admin/events/session/{session.pk}/change/", _session_post(
        session, ends_at_0=before.strftime("%d/%m/%Y"), ends_at_1=before.strftime("%H:%M:%S")))
    assert response.status_code == 200
    assert "La fin doit suivre le début" in response.content.decode()


def test_raising_capacity_in_the_admin_promotes_the_waitlist(client_for, coordinator, session):
    regs = [services.registration_book(session=session, candidate=factories.CandidateFactory()) for _ in range(3)]
    response = client_for(coordinator).post(f"/admin/events/session/{session.pk}/change/",
                                            _session_post(session, capacity="3"))
    assert response.status_code == 302
    assert Registration.objects.get(pk=regs[2].pk).status == "confirmed"


def test_edition_page_holds_its_sessions_inline(client_for, coordinator, session):
    body = client_for(coordinator).get(f"/admin/events/edition/{session.edition_id}/change/").content.decode()
    assert "sessions-TOTAL_FORMS" in body and session.title in body


def test_attendance_sheet_print_page_and_csv(client_for, coordinator, session):
    reg = services.registration_book(session=session, candidate=factories.CandidateFactory(last_name="=HYPERLINK()"))
    services.registration_check_in(registration=reg)
    client = client_for(coordinator)
    page = client.get(f"/admin/events/session/{session.pk}/emargement/")
    assert page.status_code == 200 and "=HYPERLINK()" in page.content.decode()
    csv_response = client.get(f"/admin/events/session/{session.pk}/emargement.csv")
    assert csv_response["Content-Type"].startswith("text/csv")
    text = csv_response.content.decode("utf-8-sig")
    assert "'=HYPERLINK()" in text  # neutralised for spreadsheets


def test_recruiter_sees_sessions_but_no_attendance_sheet(client_for, recruiter_a, session):
    client = client_for(recruiter_a)
    assert client.get("/admin/events/session/").status_code == 200
    assert client.get(f"/admin/events/session/{session.pk}/emargement.csv").status_code == 403
    assert client.get("/admin/events/registration/").status_code == 403


def test_recruiter_manages_only_their_companys_participation(client_for, recruiter_a, company_a, company_b, session):
    mine = SessionCompany.objects.create(session=session, company=company_a)
    theirs = SessionCompany.objects.create(session=session, company=company_b)
    client = client_for(recruiter_a)
    listing = client.get("/admin/events/sessioncompany/")
    assert [o.pk for o in listing.context["cl"].result_list] == [mine.pk]
    assert client.get(f"/admin/events/sessioncompany/{mine.pk}/change/").status_code == 200
    assert client.get(f"/admin/events/sessioncompany/{theirs.pk}/change/").status_code in (302, 404)
    other_session = factories.SessionFactory()
    response = client.post("/admin/events/sessioncompany/add/", {
        "session": other_session.pk, "company": company_b.pk, "interview_slots": 4})
    assert response.status_code == 200  # company B is not a valid choice for recruiter A
    assert not SessionCompany.objects.filter(session=other_session).exists()
    response = client.post("/admin/events/sessioncompany/add/", {
        "session": other_session.pk, "company": company_a.pk, "interview_slots": 4})
    assert response.status_code == 302
    assert SessionCompany.objects.filter(session=other_session, company=company_a).exists()


def test_registration_admin_records_an_outcome_with_orientations(client_for, coordinator, session):
    candidate = factories.CandidateFactory(shown_to_recruiters=True)
    Qualification.objects.create(candidate=candidate, level="ready", motivation=4)
    company = factories.CompanyFactory()
    posting = factories.JobPostingFactory(company=company)
    participation = SessionCompany.objects.create(session=session, company=company)
    participation.postings.add(posting)
    reg = services.registration_book(session=session, candidate=candidate)
    services.registration_check_in(registration=reg)
    client = client_for(coordinator)
    url = f"/admin/events/registration/{reg.pk}/change/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"outcome": "oriented", "outcome_notes": "Très bon échange",
                                 "orient_postings": [posting.pk], "survey-TOTAL_FORMS": "0",
                                 "survey-INITIAL_FORMS": "0", "survey-MIN_NUM_FORMS": "0",
                                 "survey-MAX_NUM_FORMS": "1"})
    assert response.status_code == 302
    orientation = candidate.orientations.get()
    assert orientation.session == session and orientation.posting == posting
    candidate.refresh_from_db()
    assert candidate.stage == "oriented"


def test_outcome_for_a_no_show_is_refused_in_the_admin(client_for, coordinator, session, candidate):
    reg = services.registration_book(session=session, candidate=candidate)
    response = client_for(coordinator).post(f"/admin/events/registration/{reg.pk}/change/", {
        "outcome": "qualified", "survey-TOTAL_FORMS": "0", "survey-INITIAL_FORMS": "0",
        "survey-MIN_NUM_FORMS": "0", "survey-MAX_NUM_FORMS": "1"})
    assert response.status_code == 200
    assert Registration.objects.get(pk=reg.pk).outcome == ""


def test_coordinator_adds_a_registration_through_the_booking_rules(client_for, coordinator, session):
    for _ in range(2):
        services.registration_book(session=session, candidate=factories.CandidateFactory())
    candidate = factories.CandidateFactory()
    response = client_for(coordinator).post("/admin/events/registration/add/", {
        "session": session.pk, "candidate": candidate.pk})
    assert response.status_code == 302
    assert Registration.objects.get(candidate=candidate).status == "waitlisted"


def test_cancel_action_promotes_the_waitlist(client_for, coordinator, session):
    regs = [services.registration_book(session=session, candidate=factories.CandidateFactory()) for _ in range(3)]
    client_for(coordinator).post("/admin/events/registration/", {
        "action": "cancel_registrations", "_selected_action": [regs[0].pk]})
    assert Registration.objects.get(pk=regs[0].pk).status == "cancelled"
    assert Registration.objects.get(pk=regs[2].pk).status == "confirmed"


def test_survey_answers_are_visible_per_session(client_for, coordinator, session, candidate):
    reg = services.registration_book(session=session, candidate=candidate)
    services.registration_check_in(registration=reg)
    services.survey_submit(registration=reg, rating=5, useful=True, comment="Super")
    body = client_for(coordinator).get(f"/admin/events/session/{session.pk}/change/").content.decode()
    assert "5.0/5" in body
    listing = client_for(coordinator).get(
        f"/admin/events/surveyresponse/?registration__session__id__exact={session.pk}")
    assert listing.status_code == 200 and "Super" in listing.content.decode()


def test_recruiter_session_page_shows_no_candidate_and_only_their_participation(client_for, recruiter_a, company_a,
                                                                                company_b, session):
    SessionCompany.objects.create(session=session, company=company_a)
    SessionCompany.objects.create(session=session, company=company_b)
    services.registration_book(session=session, candidate=factories.CandidateFactory(last_name="Confidentiel"))
    response = client_for(recruiter_a).get(f"/admin/events/session/{session.pk}/change/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Confidentiel" not in body
    assert company_a.name in body and company_b.name not in body


def _edition_post(edition, sessions, extra_rows=()):
    local = timezone.localtime
    data = {"programme": edition.programme_id, "number": edition.number, "name": edition.name,
            "year": edition.year, "starts_on": edition.starts_on.strftime("%d/%m/%Y"), "ends_on": "",
            "target_candidates": "200", "sessions-INITIAL_FORMS": str(len(sessions)),
            "sessions-TOTAL_FORMS": str(len(sessions) + len(extra_rows)), "sessions-MIN_NUM_FORMS": "0",
            "sessions-MAX_NUM_FORMS": "1000"}
    rows = [{"id": s.pk, "title": s.title, "city": s.city, "venue": s.venue, "address": s.address,
             "postcode": s.postcode, "format": s.format, "capacity": s.capacity, "starts_at": s.starts_at,
             "ends_at": s.ends_at, "is_published": "on"} for s in sessions] + list(extra_rows)
    for i, row in enumerate(rows):
        for key, value in row.items():
            if key in ("starts_at", "ends_at"):
                data[f"sessions-{i}-{key}_0"] = local(value).strftime("%d/%m/%Y")
                data[f"sessions-{i}-{key}_1"] = local(value).strftime("%H:%M:%S")
            else:
                data[f"sessions-{i}-{key}"] = value
        data[f"sessions-{i}-edition"] = edition.pk
        data.setdefault(f"sessions-{i}-registration_opens_at_0", "")
    return data


def test_edition_inline_creates_a_session_and_refuses_end_before_start(client_for, coordinator, session):
    edition = session.edition
    start = timezone.now() + dt.timedelta(days=20)
    client = client_for(coordinator)
    url = f"/admin/events/edition/{edition.pk}/change/"
    bad = {"title": "Atelier", "city": "Montpellier", "format": "workshop", "capacity": "30", "starts_at": start,
           "ends_at": start - dt.timedelta(hours=2), "is_published": "on"}
    response = client.post(url, _edition_post(edition, [session], [bad]))
    assert response.status_code == 200
    assert not Session.objects.filter(title="Atelier").exists()
    good = {**bad, "ends_at": start + dt.timedelta(hours=2)}
    response = client.post(url, _edition_post(edition, [session], [good]))
    assert response.status_code == 302
    assert Session.objects.get(title="Atelier").edition == edition


def test_edition_inline_capacity_goes_through_the_booking_rules(client_for, coordinator, session):
    regs = [services.registration_book(session=session, candidate=factories.CandidateFactory()) for _ in range(3)]
    client = client_for(coordinator)
    url = f"/admin/events/edition/{session.edition_id}/change/"
    session.capacity = 1
    response = client.post(url, _edition_post(session.edition, [session]))
    assert response.status_code == 200
    assert "annuler 1 inscription" in response.content.decode()
    session.capacity = 3
    assert client.post(url, _edition_post(session.edition, [session])).status_code == 302
    assert Session.objects.get(pk=session.pk).capacity == 3
    assert Registration.objects.get(pk=regs[2].pk).status == "confirmed"


def test_registration_list_shows_waitlist_positions_without_a_query_per_row(client_for, coordinator, session):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    regs = [services.registration_book(session=session, candidate=factories.CandidateFactory()) for _ in range(6)]
    client = client_for(coordinator)
    with CaptureQueriesContext(connection) as few:
        response = client.get("/admin/events/registration/")
    rows = {r.pk: r.position for r in response.context["cl"].result_list}
    assert [rows[r.pk] for r in regs] == [None, None, 1, 2, 3, 4]
    for _ in range(10):
        services.registration_book(session=session, candidate=factories.CandidateFactory())
    with CaptureQueriesContext(connection) as many:
        client.get("/admin/events/registration/")
    def ours(ctx):
        return [q for q in ctx.captured_queries if "events_registration" in q["sql"]]

    assert len(ours(many)) == len(ours(few))


# --- refusals of the booking rules, shown on the form ---------------------------------------------

@pytest.fixture
def booking_lands_after_the_form_check(monkeypatch):
    # The form counts the seats first; a booking made in between only meets the service's locked check.
    monkeypatch.setattr(SessionForm, "clean_capacity", lambda form: form.cleaned_data["capacity"])


@pytest.mark.usefixtures("booking_lands_after_the_form_check")
def test_a_capacity_refused_by_the_booking_lock_saves_nothing(client_for, coordinator, session):
    session.capacity = 5
    session.save()
    for _ in range(4):
        services.registration_book(session=session, candidate=factories.CandidateFactory())
    response = client_for(coordinator).post(f"/admin/events/session/{session.pk}/change/",
                                            _session_post(session, capacity="2", title="Nouveau titre"))
    assert_refused(response, "annuler 2 inscription")
    session.refresh_from_db()
    assert (session.capacity, session.title) == (5, "Job dating Toulouse")


@pytest.mark.usefixtures("booking_lands_after_the_form_check")
def test_a_capacity_refused_in_the_edition_inline_saves_nothing(client_for, coordinator, session):
    session.capacity = 3
    session.save()
    for _ in range(3):
        services.registration_book(session=session, candidate=factories.CandidateFactory())
    data = _edition_post(session.edition, [session]) | {"sessions-0-capacity": "1", "target_candidates": "999"}
    response = client_for(coordinator).post(f"/admin/events/edition/{session.edition_id}/change/", data)
    assert_refused(response, "annuler 2 inscription")
    session.refresh_from_db()
    session.edition.refresh_from_db()
    assert session.capacity == 3 and session.edition.target_candidates != 999


def test_a_booking_refused_in_the_admin_is_shown_on_the_form(client_for, coordinator, session):
    erased = factories.CandidateFactory(anonymised_at=timezone.now())
    response = client_for(coordinator).post("/admin/events/registration/add/", {
        "session": session.pk, "candidate": erased.pk})
    assert_refused(response, "Ce compte a été supprimé.")
    assert not Registration.objects.exists()


@pytest.mark.usefixtures("booking_lands_after_the_form_check")
def test_messages_of_a_refused_save_are_dropped_with_it(client_for, coordinator, session):
    # The first session's new capacity promotes its waitlist (a message says so); the second one's is refused:
    # neither change is kept, and no message speaks of the promotion.
    for _ in range(3):
        services.registration_book(session=session, candidate=factories.CandidateFactory())
    full = factories.SessionFactory(edition=session.edition, capacity=2, title="Complète")
    for _ in range(2):
        services.registration_book(session=full, candidate=factories.CandidateFactory())
    data = _edition_post(session.edition, [session, full]) | {"sessions-0-capacity": "3", "sessions-1-capacity": "1"}
    response = client_for(coordinator).post(f"/admin/events/edition/{session.edition_id}/change/", data)
    assert_refused(response, "annuler 1 inscription")
    assert not list(response.context["messages"])
    assert Session.objects.get(pk=session.pk).capacity == 2
    assert Registration.objects.filter(session=session, status="waitlisted").count() == 1


def test_registration_list_queries_do_not_grow_with_editions_or_bookings(client_for, coordinator):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(coordinator)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            page = client.get("/admin/events/registration/")
        assert page.status_code == 200
        return len(ctx.captured_queries)

    factories.RegistrationFactory()
    count()  # the first request of a session reads and caches more (security policy, permissions)
    few = count()
    for number in range(3, 8):
        edition = factories.EditionFactory(number=number, name=f"Édition {number}")
        for _ in range(3):
            factories.RegistrationFactory(session=factories.SessionFactory(edition=edition))
    assert count() == few
