import pytest
from django.utils import timezone

from candidates.models import Orientation
from hotline.models import CallbackRequest, HotlineCall, RelocationRequest
from hotline.selectors import candidate_timeline
from tests import factories


@pytest.fixture
def hotline_rows(candidate, hotline_agent):
    call = HotlineCall.objects.create(candidate=candidate, topic="job_search", summary="Secret de l'appel",
                                      follow_up_due=timezone.localdate(), follow_up_owner=hotline_agent)
    callback = CallbackRequest.objects.create(name="Hélène", email="helene@example.org", topic="session")
    relocation = RelocationRequest.objects.create(candidate=candidate, target_city="Albi", need_housing=True)
    return {"call": call, "callback": callback, "relocation": relocation}


def _staff_urls(candidate, rows):
    return [
        "/pilotage/hotline/", "/pilotage/hotline/?q=dupont", "/pilotage/hotline/appel/",
        f"/pilotage/hotline/appel/?candidate={candidate.public_id}",
        f"/pilotage/hotline/appel/?callback={rows['callback'].pk}",
        f"/pilotage/hotline/candidat/{candidate.public_id}/",
        f"/pilotage/hotline/candidat/{candidate.public_id}/installation/",
        "/pilotage/hotline/relances/", "/pilotage/hotline/relances/en-retard/", "/pilotage/hotline/rappels/",
        "/pilotage/hotline/installations/", f"/pilotage/hotline/installations/{rows['relocation'].pk}/",
    ]


def _admin_urls(rows):
    return [
        "/admin/hotline/hotlinecall/", f"/admin/hotline/hotlinecall/{rows['call'].pk}/change/",
        "/admin/hotline/callbackrequest/", f"/admin/hotline/callbackrequest/{rows['callback'].pk}/change/",
        "/admin/hotline/relocationrequest/",
        f"/admin/hotline/relocationrequest/{rows['relocation'].pk}/change/",
        "/admin/hotline/hotlinecall/add/",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["hotline_agent", "coordinator"])
def test_hotline_staff_and_coordinators_open_every_hotline_page(request, client_for, candidate, hotline_rows, who):
    client = client_for(request.getfixturevalue(who))
    for url in _staff_urls(candidate, hotline_rows) + _admin_urls(hotline_rows):
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["recruiter_a", "prospecting_officer"])
def test_recruiters_and_prospecting_officers_see_no_call_anywhere(request, client_for, candidate, hotline_rows, who):
    client = client_for(request.getfixturevalue(who))
    for url in _staff_urls(candidate, hotline_rows):
        assert client.get(url).status_code == 403, url
    done = f"/pilotage/hotline/relances/{hotline_rows['call'].pk}/faite/"
    assert client.post(done).status_code == 403
    for url in _admin_urls(hotline_rows):
        assert client.get(url).status_code in (403, 302), url
        assert "Secret de l" not in client.get(url).content.decode()
    index = client.get("/admin/").content.decode()
    assert "hotlinecall" not in index and "relocationrequest" not in index
    hotline_rows["call"].refresh_from_db()
    assert hotline_rows["call"].follow_up_done_at is None


@pytest.mark.django_db
def test_anonymous_is_sent_to_the_admin_login(client, candidate, hotline_rows):
    for url in _staff_urls(candidate, hotline_rows):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/admin/login/?next=")


@pytest.mark.django_db
def test_timeline_shows_everything_in_time_order_to_hotline_staff(candidate, hotline_agent, company_a, coordinator):
    registration = factories.RegistrationFactory(candidate=candidate)
    call = HotlineCall.objects.create(candidate=candidate, topic="session", summary="Appel sur la session")
    orientation = Orientation.objects.create(candidate=candidate, company=company_a, created_by=coordinator)
    relocation = RelocationRequest.objects.create(candidate=candidate, target_city="Albi", need_housing=True)
    kinds = [e["kind"] for e in candidate_timeline(candidate, user=hotline_agent)]
    assert kinds == ["registration", "call", "orientation", "relocation"]
    entries = candidate_timeline(candidate)
    assert [e["object"] for e in entries] == [registration, call, orientation, relocation]
    assert [e["at"] for e in entries] == sorted(e["at"] for e in entries)


@pytest.mark.django_db
def test_timeline_hides_calls_and_requests_from_a_recruiter(candidate, recruiter_a, company_a, company_b):
    HotlineCall.objects.create(candidate=candidate, topic="session", summary="Appel")
    RelocationRequest.objects.create(candidate=candidate, target_city="Albi", need_housing=True)
    mine = Orientation.objects.create(candidate=candidate, company=company_a)
    Orientation.objects.create(candidate=candidate, company=company_b)
    entries = candidate_timeline(candidate, user=recruiter_a)
    assert [e["object"] for e in entries] == [mine]
