import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from candidates.models import Candidate
from events import services
from events.models import Registration
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(db, settings):
    """A session starting in a minute, on a day whose desk is open (it opens at midnight here)."""
    settings.CHECKIN_OPENS_AT = "00:00"
    start = factories.today_from_now(dt.timedelta(minutes=1))
    return factories.SessionFactory(title="Job dating Toulouse", city="Toulouse", capacity=2,
                                    starts_at=start, ends_at=start + dt.timedelta(hours=3))


def _url(session, suffix=""):
    return f"/pilotage/sessions/{session.pk}/accueil/{suffix}"


def test_anonymous_visitor_is_sent_to_login(client, session):
    response = client.get(_url(session))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.parametrize("who", ["recruiter_a", "prospecting_officer"])
def test_recruiters_and_prospecting_officers_are_refused(client_for, session, who, request):
    client = client_for(request.getfixturevalue(who))
    assert client.get(_url(session)).status_code == 403
    reg = services.registration_book(session=session, candidate=factories.CandidateFactory())
    assert client.post(_url(session, f"{reg.pk}/")).status_code == 403
    assert Registration.objects.get(pk=reg.pk).status == "confirmed"


@pytest.mark.parametrize("who", ["hotline_agent", "coordinator"])
def test_hotline_and_coordinators_see_the_list_with_the_count(client_for, session, who, request):
    services.registration_book(session=session, candidate=factories.CandidateFactory(last_name="Zorro"))
    response = client_for(request.getfixturevalue(who)).get(_url(session))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Zorro" in body and "checkin.js" in body
    assert 'data-count="present">0<' in body


@pytest.mark.parametrize(("language", "heading"), [
    ("fr", "Accueil des participants : Job dating Toulouse"),
    ("en", "Participant check-in: Job dating in Toulouse"),  # no French space before the colon
])
def test_the_desk_and_its_attendance_sheet_name_the_session_in_the_reader_s_language(
        client_for, coordinator, session, settings, language, heading):
    session.title_en = "Job dating in Toulouse"
    session.save(update_fields=["title_en"])
    client = client_for(coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    assert f'<h1 class="h3">{heading}</h1>' in client.get(_url(session)).content.decode()
    sheet = client.get(f"/admin/events/session/{session.pk}/emargement/").content.decode()
    sheet_heading = {"fr": "Feuille d'émargement : Job dating Toulouse",
                     "en": "Attendance sheet: Job dating in Toulouse"}[language]
    assert f"<h1>{sheet_heading}</h1>" in sheet.replace("&#x27;", "'")
    badges = client.get(reverse("staff:events_staff:session_badges", args=[session.pk])).content.decode()
    assert f'<h1 class="h3">{ {"fr": "Badges : ", "en": "Badges: "}[language]}Job dating' in badges


def test_search_without_javascript_filters_the_list(client_for, hotline_agent, session):
    services.registration_book(session=session, candidate=factories.CandidateFactory(last_name="Zorro"))
    services.registration_book(session=session, candidate=factories.CandidateFactory(last_name="Arnaud"))
    body = client_for(hotline_agent).get(_url(session) + "?q=zor").content.decode()
    assert "Zorro" in body and "Arnaud" not in body


def test_one_tap_marks_present_and_the_json_answer_carries_the_count(client_for, hotline_agent, session):
    reg = services.registration_book(session=session, candidate=factories.CandidateFactory())
    client = client_for(hotline_agent)
    response = client.post(_url(session, f"{reg.pk}/"), HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response.json()["status"] == "attended"
    assert response.json()["counts"]["present"] == 1
    state = client.get(_url(session, "etat/")).json()
    assert state["counts"] == {"present": 1, "expected": 1, "walk_ins": 0, "capacity": 2}
    # Without JavaScript: a plain form post and a redirect back to the list.
    undo = client.post(_url(session, f"{reg.pk}/"), {"undo": "1"})
    assert undo.status_code == 302
    assert Registration.objects.get(pk=reg.pk).status == "confirmed"


def test_marking_needs_csrf(hotline_agent, session):
    from django.test import Client

    reg = services.registration_book(session=session, candidate=factories.CandidateFactory())
    client = Client(enforce_csrf_checks=True)
    client.force_login(hotline_agent)
    assert client.post(_url(session, f"{reg.pk}/")).status_code == 403


def test_a_registration_of_another_session_is_404(client_for, hotline_agent, session):
    other = services.registration_book(session=factories.SessionFactory(), candidate=factories.CandidateFactory())
    assert client_for(hotline_agent).post(_url(session, f"{other.pk}/")).status_code == 404


def test_walk_in_creates_the_candidate_with_a_desk_consent_and_checks_them_in(client_for, hotline_agent, session):
    for _ in range(2):
        services.registration_book(session=session, candidate=factories.CandidateFactory())
    client = client_for(hotline_agent)
    data = {"first_name": "Inès", "last_name": "Sur-Place", "email": "ines@example.org", "profile": "job_seeker",
            "consent": "on"}
    response = client.post(_url(session, "sur-place/"), data)
    assert response.status_code == 302
    candidate = Candidate.objects.get(email="ines@example.org")
    assert candidate.consents.get().channel == "desk"
    reg = Registration.objects.get(candidate=candidate)
    assert reg.status == "attended" and reg.walk_in
    client.post(_url(session, "sur-place/"), {**data, "email": "INES@example.org"})
    assert Candidate.objects.filter(email__iexact="ines@example.org").count() == 1


def test_walk_in_form_errors_are_shown_in_english(client_for, hotline_agent, session):
    client = client_for(hotline_agent)
    response = client.post(_url(session, "sur-place/"),
                           {"first_name": "", "email": "bad"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert not Candidate.objects.exists()


def test_desk_sessions_page_links_to_each_check_in(client_for, coordinator, session):
    assert str(session.pk) in client_for(coordinator).get("/pilotage/sessions/").content.decode()


def _person(first, last, email):
    return factories.CandidateFactory(first_name=first, last_name=last, email=email)


def test_namesakes_are_told_apart_by_a_masked_email(client_for, session, coordinator):
    services.registration_book(session=session, candidate=_person("Romain", "Barthe", "romain.barthe@gmail.com"))
    services.registration_book(session=session, candidate=_person("Romain", "Barthe", "rbarthe@orange.fr"))
    body = client_for(coordinator).get(_url(session)).content.decode()
    assert "r•••@gmail.com" in body and "r•••@orange.fr" in body
    assert "romain.barthe@gmail.com" not in body.replace('data-name="barthe romain romain.barthe@gmail.com"', "")


def test_a_check_in_can_be_undone_from_the_answer(client_for, session, coordinator):
    reg = services.registration_book(session=session, candidate=factories.CandidateFactory())
    client = client_for(coordinator)
    answer = client.post(_url(session, f"{reg.pk}/"), HTTP_ACCEPT="application/json").json()
    assert answer["status"] == "attended" and answer["can_undo"] is True
    page = client.get(_url(session)).content.decode()
    assert "Annuler le pointage" in page
    answer = client.post(_url(session, f"{reg.pk}/"), {"undo": "1"}, HTTP_ACCEPT="application/json").json()
    assert answer["status"] == "confirmed" and answer["can_undo"] is False


def test_the_desk_opens_on_the_day_only(client_for, coordinator, settings):
    settings.CHECKIN_OPENS_AT = "07:00"
    # An afternoon session: one starting before the opening hour opens at its own start instead.
    start = (timezone.localtime() + dt.timedelta(days=6)).replace(hour=14, minute=0, second=0, microsecond=0)
    early = factories.SessionFactory(starts_at=start, ends_at=start + dt.timedelta(hours=3))
    reg = services.registration_book(session=early, candidate=factories.CandidateFactory())
    client = client_for(coordinator)
    page = client.get(_url(early)).content.decode()
    assert "L&#x27;accueil de cette session ouvre le" in page and "à 07:00" in page
    assert f'action="/pilotage/sessions/{early.pk}/accueil/{reg.pk}/"' not in page
    response = client.post(_url(early, f"{reg.pk}/"), HTTP_ACCEPT="application/json")
    assert response.status_code == 409 and "ouvre le" in response.json()["error"]
    response = client.post(_url(early, "sur-place/"), {"first_name": "A", "last_name": "B", "email": "ab@example.org",
                                                       "profile": "retraining", "consent": "on"})
    assert response.status_code == 302
    assert Registration.objects.get(pk=reg.pk).status == "confirmed"
    assert not Candidate.objects.filter(email="ab@example.org").exists()


def test_the_desk_is_closed_after_the_sessions_day(client_for, coordinator, past_session):
    reg = factories.RegistrationFactory(session=past_session)
    response = client_for(coordinator).post(_url(past_session, f"{reg.pk}/"), HTTP_ACCEPT="application/json")
    assert response.status_code == 409
    assert Registration.objects.get(pk=reg.pk).status == "confirmed"


def test_the_sessions_list_says_which_desk_is_open(client_for, coordinator, session, settings):
    start = timezone.now() + dt.timedelta(days=6)
    later = factories.SessionFactory(title="Plus tard", starts_at=start, ends_at=start + dt.timedelta(hours=3))
    body = client_for(coordinator).get("/pilotage/sessions/").content.decode()
    today_row = body[body.index(session.title):body.index("</li>", body.index(session.title))]
    later_row = body[body.index(later.title):body.index("</li>", body.index(later.title))]
    assert "accueil ouvert" in today_row and "accueil à partir du" not in today_row
    assert "accueil à partir du" in later_row and "accueil ouvert" not in later_row
