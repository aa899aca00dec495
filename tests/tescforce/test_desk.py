"""Every staff member lands on their desk (/pilotage/) and sees there what they act on today, and nothing more."""

import datetime as dt

import pytest
from django.utils import timezone

from candidates.models import Candidate, JobInterest
from events.models import SessionCompany
from hotline.models import CallbackRequest, HotlineCall, RelocationRequest
from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple"
SECTIONS = {
    "coordinator": {"sessions", "targets", "qualification"},
    "hotline_agent": {"hotline"},
    "recruiter_a": {"postings", "company_sessions"},
    "prospecting_officer": {"prospecting"},
}


def _sections(body: str) -> set[str]:
    keys = {"hotline", "sessions", "targets", "qualification", "prospecting", "postings", "company_sessions"}
    return {key for key in keys if f'data-desk-section="{key}"' in body}


def _login(client, username: str, next_url: str | None = None):
    url = "/admin/login/" + (f"?next={next_url}" if next_url is not None else "")
    return client.post(url, {"username": username, "password": PASSWORD}, REMOTE_ADDR="203.0.113.9")


def test_signing_in_at_the_admin_lands_on_the_desk(client, hotline_agent):
    page = client.get("/admin/login/")
    assert 'name="next" value="/pilotage/"' in page.content.decode()
    response = _login(client, "hotline")
    assert response.status_code == 302 and response["Location"] == "/pilotage/"
    assert client.get("/pilotage/").status_code == 200


@pytest.mark.parametrize(("next_url", "lands"), [
    ("/admin/", "/pilotage/"),  # the admin's default destination: the desk instead
    ("/admin/events/session/", "/admin/events/session/"),  # a page the person was on their way to
    ("https://evil.example/", "/pilotage/"),
])
def test_a_page_asked_for_before_signing_in_is_kept(client, coordinator, next_url, lands):
    response = _login(client, "coordinatrice", next_url)
    assert response.status_code == 302 and response["Location"] == lands


@pytest.mark.parametrize("who", sorted(SECTIONS))
def test_each_role_sees_its_own_sections_and_only_those(request, client_for, who):
    response = client_for(request.getfixturevalue(who)).get("/pilotage/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    assert _sections(response.content.decode()) == SECTIONS[who]


def test_a_person_with_several_roles_sees_each_section(client_for, hotline_agent):
    hotline_agent.groups.add(factories.Group.objects.get(name="Chargés de prospection"))
    body = client_for(hotline_agent).get("/pilotage/").content.decode()
    assert _sections(body) == {"hotline", "prospecting"}


def test_a_staff_member_without_a_role_gets_an_empty_desk_and_a_way_to_the_admin(client_for):
    user = factories.UserFactory(username="sans-role")
    body = client_for(user).get("/pilotage/").content.decode()
    assert _sections(body) == set()
    assert 'href="/admin/"' in body


def test_the_desk_is_closed_to_the_anonymous_and_to_non_staff(client, client_for):
    response = client.get("/pilotage/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    outsider = factories.UserFactory(username="dehors", is_staff=False)
    assert client_for(outsider).get("/pilotage/").status_code == 403


def test_old_dashboard_links_lead_to_the_dashboard(client_for, coordinator):
    client = client_for(coordinator)
    response = client.get("/pilotage/", {"year": 2030, "export": "targets"})
    assert response.status_code == 302
    assert response["Location"] == "/pilotage/tableau-de-bord/?year=2030&export=targets"
    body = client.get("/pilotage/").content.decode()
    assert 'href="/pilotage/tableau-de-bord/"' in body


def test_the_hotline_desk_lists_call_backs_overdue_follow_ups_and_relocations(client_for, hotline_agent, candidate):
    CallbackRequest.objects.create(name="Rappel Lacombe", email="lacombe@example.org", topic="other")
    HotlineCall.objects.create(candidate=candidate, topic="other", summary="…", logged_by=hotline_agent,
                               follow_up_due=timezone.localdate() - dt.timedelta(days=2),
                               follow_up_owner=hotline_agent)
    RelocationRequest.objects.create(candidate=candidate, target_city="Montpellier", need_housing=True)
    body = client_for(hotline_agent).get("/pilotage/").content.decode()
    assert "Rappel Lacombe" in body
    assert "1 relance en retard" in body
    assert "Hélène Dupont → Montpellier" in body


def test_hotline_and_prospecting_never_see_each_others_data(client_for, hotline_agent, prospecting_officer, candidate):
    CallbackRequest.objects.create(name="Rappel Lacombe", email="lacombe@example.org", topic="other")
    RelocationRequest.objects.create(candidate=candidate, target_city="Montpellier", need_housing=True)
    factories.ProspectFactory(name="Taipei Sensors", owner=prospecting_officer, stage="contacted")
    officer_body = client_for(prospecting_officer).get("/pilotage/").content.decode()
    assert "Taipei Sensors" in officer_body
    assert "Rappel Lacombe" not in officer_body and "Dupont" not in officer_body
    hotline_body = client_for(hotline_agent).get("/pilotage/").content.decode()
    assert "Taipei Sensors" not in hotline_body


def test_the_officer_sees_this_weeks_meetings_and_prospects_without_next_step(client_for, prospecting_officer):
    noon = timezone.localtime().replace(hour=12, minute=0)  # today, so always this week
    busy = factories.ProspectFactory(name="Austin Cloud", owner=prospecting_officer, stage="contacted")
    factories.MeetingFactory(prospect=busy, officer=prospecting_officer, starts_at=noon,
                             next_step="Envoyer les fiches", next_step_due=noon.date())
    factories.ProspectFactory(name="Idle Tunis", owner=prospecting_officer, stage="identified")
    factories.ProspectFactory(name="Someone Else's", stage="identified")
    body = client_for(prospecting_officer).get("/pilotage/").content.decode()
    week = body[body.index("Les rendez-vous de la semaine"):body.index("sans prochaine étape")]
    assert "Austin Cloud" in week
    idle = body[body.index("sans prochaine étape"):]
    assert "Idle Tunis" in idle and "Austin Cloud" not in idle and "Someone Else" not in idle


def test_the_recruiter_desk_shows_only_their_company(client_for, recruiter_a, company_a, company_b, candidate):
    mine = factories.JobPostingFactory(company=company_a, title="Data engineer Alpha")
    theirs = factories.JobPostingFactory(company=company_b, title="Secret Beta posting")
    candidate.shown_to_recruiters = True
    candidate.save()
    for posting in (mine, theirs):
        JobInterest.objects.create(candidate=candidate, posting=posting, confirmed_at=timezone.now())
    session_b = factories.SessionFactory(title="Beta only dating")
    SessionCompany.objects.create(session=session_b, company=company_b)
    session_a = factories.SessionFactory(title="Alpha dating")
    SessionCompany.objects.create(session=session_a, company=company_a)
    body = client_for(recruiter_a).get("/pilotage/").content.decode()
    assert "Data engineer Alpha" in body and "1 nouvel intérêt" in body
    assert "Alpha dating" in body
    assert "Secret Beta posting" not in body and "Beta only dating" not in body
    # Counts, never a candidate's name, on a recruiter's desk.
    assert "Dupont" not in body


def test_the_coordinator_desk_shows_fill_rates_waiting_candidates_and_targets(client_for, coordinator):
    session = factories.SessionFactory(title="Job dating Toulouse", capacity=4)
    factories.RegistrationFactory(session=session)
    factories.CandidateFactory(last_name="Attente", stage=Candidate.Stage.REGISTERED)
    body = client_for(coordinator).get("/pilotage/").content.decode()
    assert "Job dating Toulouse" in body and "1 / 4 places prises" in body and 'value="25"' in body
    assert "Attente" in body
    assert "Objectifs de l&#x27;année" in body or "Objectifs de l'année" in body


def test_the_desk_speaks_english(client_for, hotline_agent):
    client = client_for(hotline_agent)
    client.cookies["django_language"] = "en"
    body = client.get("/pilotage/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "My desk" in body and "Overdue follow-ups" in body


def test_a_recruiter_given_the_hotline_role_too_still_sees_no_hotline_data(client_for, recruiter_a):
    recruiter_a.groups.add(factories.Group.objects.get(name="Hotline"))
    CallbackRequest.objects.create(name="Rappel Lacombe", email="lacombe@example.org", topic="other")
    body = client_for(recruiter_a).get("/pilotage/").content.decode()
    assert _sections(body) == {"postings", "company_sessions"}
    assert "Rappel Lacombe" not in body
