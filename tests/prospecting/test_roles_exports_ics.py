import datetime as dt

import pytest
from django.utils import timezone
from icalendar import Calendar

from prospecting.models import Meeting

from .. import factories
from .conftest import past_meeting

ADMIN_URLS = [
    "/admin/prospecting/prospect/", "/admin/prospecting/prospect/{prospect}/change/",
    "/admin/prospecting/meeting/", "/admin/prospecting/meeting/{meeting}/change/",
    "/admin/prospecting/prospectingcampaign/", "/admin/prospecting/settlement/", "/admin/prospecting/exportlead/",
    "/admin/prospecting/prospectcontact/", "/admin/prospecting/prospect/export/",
    "/admin/prospecting/meeting/export/", "/admin/prospecting/prospect/add/",
]
STAFF_URLS = ["/pilotage/prospection/agenda.ics", "/pilotage/prospection/prospects/{prospect}/fiches/"]


@pytest.fixture
def meeting(prospect):
    return past_meeting(prospect)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["recruiter_a", "hotline_agent"])
def test_recruiters_and_hotline_see_no_prospect(client_for, request, prospect, meeting, who):
    client = client_for(request.getfixturevalue(who))
    for url in ADMIN_URLS + STAFF_URLS:
        response = client.get(url.format(prospect=prospect.pk, meeting=meeting.pk))
        assert response.status_code in (403, 404), url
    index = client.get("/admin/")
    assert b"prospecting/prospect/" not in index.content
    autocomplete = client.get("/admin/autocomplete/", {"app_label": "prospecting", "model_name": "meeting",
                                                       "field_name": "prospect", "term": "Ubi"})
    assert autocomplete.status_code == 403


@pytest.mark.django_db
def test_officer_opens_every_prospecting_page(client_for, prospecting_officer, prospect, meeting):
    client = client_for(prospecting_officer)
    for url in ADMIN_URLS + STAFF_URLS:
        response = client.get(url.format(prospect=prospect.pk, meeting=meeting.pk))
        assert response.status_code == 200, url


@pytest.mark.django_db
def test_coordinator_reads_prospecting_but_does_not_edit_it(client_for, coordinator, prospect, meeting):
    client = client_for(coordinator)
    assert client.get("/admin/prospecting/prospect/").status_code == 200
    assert client.get(f"/admin/prospecting/meeting/{meeting.pk}/change/").status_code == 200
    assert client.get("/admin/prospecting/prospect/add/").status_code == 403
    response = client.post(f"/admin/prospecting/prospect/{prospect.pk}/change/", {"name": "Renamed"})
    assert response.status_code == 403
    assert client.get("/pilotage/prospection/agenda.ics").status_code == 200


@pytest.mark.django_db
def test_anonymous_visitor_is_sent_to_the_login(client, prospect):
    for url in STAFF_URLS:
        response = client.get(url.format(prospect=prospect.pk))
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]


@pytest.mark.django_db
def test_meeting_export_as_csv_and_xlsx(prospect, meeting):
    from prospecting.resources import MeetingResource, ProspectResource

    meeting.timezone = "Asia/Taipei"
    meeting.starts_at = dt.datetime(2026, 3, 10, 7, tzinfo=dt.UTC)
    meeting.save()
    dataset = MeetingResource().export()
    assert dataset.dict[0]["heure locale"] == "2026-03-10 15:00"
    assert dataset.dict[0]["heure de Paris"] == "2026-03-10 08:00"
    assert dataset.dict[0]["pays"] == "Taïwan"
    assert dataset.xlsx[:2] == b"PK"
    prospects = ProspectResource().export()
    assert prospects.dict[0]["étape"] == "Identifiée"
    assert "Ubiik" in prospects.csv


@pytest.mark.django_db
def test_officer_downloads_the_export_from_the_admin(client_for, prospecting_officer, prospect, meeting):
    client = client_for(prospecting_officer)
    page = client.get("/admin/prospecting/prospect/export/")
    form = page.context["form"]
    data = {"format": "0", "resource": "0"}
    data |= {name: "on" for name in form.fields if name.startswith("prospectresource_")}
    response = client.post("/admin/prospecting/prospect/export/", data)
    assert response.status_code == 200, getattr(response.context, "form", None) and response.context["form"].errors
    assert response["Content-Type"].startswith("text/csv")
    assert "Ubiik" in response.content.decode()


@pytest.mark.django_db
def test_ics_lists_the_officers_own_upcoming_meetings(client_for, prospecting_officer, prospect):
    other_officer = factories.UserFactory(username="autre", groups=["Chargés de prospection"])
    upcoming = Meeting.objects.create(prospect=prospect, officer=prospecting_officer, place="Taipei 101",
                                      timezone="Asia/Taipei", starts_at=timezone.now() + dt.timedelta(days=3))
    attended = Meeting.objects.create(prospect=prospect, officer=other_officer, place="Hsinchu",
                                      starts_at=timezone.now() + dt.timedelta(days=4))
    attended.attendees.add(prospecting_officer)
    Meeting.objects.create(prospect=prospect, officer=other_officer, place="Tainan",
                           starts_at=timezone.now() + dt.timedelta(days=5))
    Meeting.objects.create(prospect=prospect, officer=prospecting_officer, place="Old",
                           starts_at=timezone.now() - dt.timedelta(days=30))
    response = client_for(prospecting_officer).get("/pilotage/prospection/agenda.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert [str(e["location"]) for e in events] == ["Taipei 101", "Hsinchu"]
    assert events[0].decoded("dtstart") == upcoming.starts_at.replace(microsecond=0) or \
        events[0].decoded("dtstart") == upcoming.starts_at
    assert str(events[0]["uid"]).startswith(f"meeting-{upcoming.pk}@")
