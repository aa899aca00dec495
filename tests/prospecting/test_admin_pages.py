import datetime as dt

import pytest

from prospecting.models import REMINDER_KIND, ExportLead
from showroom.models import ContactRequest, UseCaseImage
from tescforce.sentlog import claim_once

from .. import factories
from .conftest import past_meeting

MODELS = {
    "prospecting": ["prospectingcampaign", "prospect", "prospectcontact", "meeting", "settlement", "exportlead",
                    "prospectstagechange", "remindersent"],
    "showroom": ["sector", "technology", "usecase", "usecaseimage", "contactrequest"],
}


@pytest.fixture
def superuser(db):
    return factories.UserFactory(username="root", is_superuser=True)


@pytest.fixture
def filled(prospect, prospecting_officer, company_a):
    from prospecting import services

    meeting = past_meeting(prospect, outcome="positive")
    meeting.use_cases_shown.add(factories.UseCaseFactory())
    services.settlement_record(prospect=prospect, settled_on="2026-06-01", site_city="Toulouse")
    ExportLead.objects.create(company=company_a, prospect=prospect)
    claim_once(kind=REMINDER_KIND, user=prospecting_officer, period=dt.date(2026, 11, 1), items=3,
               counts={"next_steps": 1, "meetings_to_complete": 2})
    prospect.contacts.create(name="Lin", role="CTO")
    use_case = factories.UseCaseFactory()
    UseCaseImage.objects.create(use_case=use_case, image="showroom/x.jpg", alt_text="x")
    ContactRequest.objects.create(use_case=use_case, name="A", email="a@example.org", organisation="O", message="m")


@pytest.mark.django_db
def test_every_admin_page_of_both_apps_opens(client_for, superuser, filled):
    client = client_for(superuser)
    for app, models in MODELS.items():
        for model in models:
            listing = client.get(f"/admin/{app}/{model}/")
            assert listing.status_code == 200, model
            first = listing.context["cl"].result_list[0]
            assert client.get(f"/admin/{app}/{model}/{first.pk}/change/").status_code == 200, model
            add = client.get(f"/admin/{app}/{model}/add/")
            assert add.status_code in (200, 403), model
            assert client.get(f"/admin/{app}/{model}/", {"q": "é' OR 1=1"}).status_code == 200, model


@pytest.mark.django_db
def test_officer_sees_use_cases_through_the_meeting_autocomplete(client_for, prospecting_officer, filled):
    response = client_for(prospecting_officer).get("/admin/autocomplete/", {
        "app_label": "prospecting", "model_name": "meeting", "field_name": "use_cases_shown", "term": "Cas"})
    assert response.status_code == 200
    assert response.json()["results"]


@pytest.mark.django_db
def test_officer_finds_member_companies_through_the_meeting_autocomplete(client_for, prospecting_officer, company_a):
    response = client_for(prospecting_officer).get("/admin/autocomplete/", {
        "app_label": "prospecting", "model_name": "meeting", "field_name": "member_companies", "term": "Alpha"})
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == [str(company_a)]
