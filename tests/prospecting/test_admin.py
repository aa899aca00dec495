import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from prospecting.models import Meeting, Prospect, Settlement

from .. import factories
from .conftest import Stage, past_meeting


def inline_management(response) -> dict:
    """Return the management-form data of every inline on an admin change page."""
    data = {}
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data |= {f"{formset.prefix}-TOTAL_FORMS": 0, f"{formset.prefix}-INITIAL_FORMS": 0,
                 f"{formset.prefix}-MIN_NUM_FORMS": 0, f"{formset.prefix}-MAX_NUM_FORMS": 1000}
    return data


def meeting_data(prospect, **kwargs) -> dict:
    return {"prospect": prospect.pk, "officer": prospect.owner_id or "", "timezone": "Asia/Taipei",
            "local_date": "2026-03-10", "local_time": "15:00", "duration_minutes": 60, "place": "Taipei 101",
            "outcome": "", "next_step": "", "next_step_due": "", **kwargs}


@pytest.mark.django_db
def test_meeting_set_in_taipei_is_stored_in_utc_and_shown_in_paris_time(client_for, prospecting_officer, prospect):
    client = client_for(prospecting_officer)
    response = client.post("/admin/prospecting/meeting/add/", meeting_data(prospect, outcome="positive"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    meeting = Meeting.objects.get()
    assert meeting.starts_at == dt.datetime(2026, 3, 10, 7, 0, tzinfo=dt.UTC)  # Taipei is UTC+8
    assert meeting.paris_starts_at.strftime("%H:%M %Z") == "08:00 CET"
    page = client.get(f"/admin/prospecting/meeting/{meeting.pk}/change/")
    form = page.context["adminform"].form
    assert (str(form.initial["local_date"]), form.initial["local_time"].strftime("%H:%M")) == ("2026-03-10", "15:00")
    html = page.content.decode()
    assert 'value="15:00"' in html
    assert "08:00" in html  # Paris time shown beside it
    listing = client.get("/admin/prospecting/meeting/").content.decode()
    assert "10/03/2026 15:00 (Taipei)" in listing
    assert "10/03/2026 08:00" in listing  # Paris time, in the same short format as the local one


@pytest.mark.django_db
def test_summer_meeting_in_taipei_follows_paris_summer_time(client_for, prospecting_officer, prospect):
    response = client_for(prospecting_officer).post(
        "/admin/prospecting/meeting/add/", meeting_data(prospect, local_date="2026-07-10"))
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.starts_at == dt.datetime(2026, 7, 10, 7, 0, tzinfo=dt.UTC)
    assert meeting.paris_starts_at.strftime("%H:%M %Z") == "09:00 CEST"


@pytest.mark.django_db
def test_a_local_time_skipped_by_daylight_saving_is_refused(client_for, prospecting_officer, prospect):
    response = client_for(prospecting_officer).post("/admin/prospecting/meeting/add/", meeting_data(
        prospect, timezone="Europe/Paris", local_date="2026-03-29", local_time="02:30"))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["local_time"]


@pytest.mark.django_db
def test_admin_refuses_an_outcome_for_a_meeting_to_come(client_for, prospecting_officer, prospect):
    tomorrow = (timezone.localdate() + dt.timedelta(days=2)).isoformat()
    response = client_for(prospecting_officer).post("/admin/prospecting/meeting/add/", meeting_data(
        prospect, local_date=tomorrow, outcome="positive"))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["outcome"]
    assert not Meeting.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("field", "value"), [("timezone", "Mars/Olympus"), ("local_time", "25:61"),
                                              ("duration_minutes", "-5"), ("local_date", "2026-02-30")])
def test_admin_meeting_form_rejects_bad_input_field_by_field(client_for, prospecting_officer, prospect, field, value):
    response = client_for(prospecting_officer).post("/admin/prospecting/meeting/add/",
                                                    meeting_data(prospect, **{field: value}))
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors


@pytest.mark.django_db
def test_past_meeting_without_outcome_shows_as_to_complete(client_for, prospecting_officer, prospect):
    late = past_meeting(prospect)
    done = past_meeting(prospect, outcome="negative", place="Hsinchu")
    upcoming = past_meeting(prospect, starts_at=timezone.now() + dt.timedelta(days=5), place="Kaohsiung")
    client = client_for(prospecting_officer)
    listed = client.get("/admin/prospecting/meeting/", {"to_complete": "yes"}).context["cl"].result_list
    assert list(listed) == [late]
    others = client.get("/admin/prospecting/meeting/", {"to_complete": "no"}).context["cl"].result_list
    assert set(others) == {done, upcoming}
    assert (late.to_complete, done.to_complete, upcoming.to_complete) == (True, False, False)


@pytest.mark.django_db
def test_prospect_is_created_in_the_admin_with_contacts(client_for, prospecting_officer):
    client = client_for(prospecting_officer)
    page = client.get("/admin/prospecting/prospect/add/")
    data = inline_management(page) | {
        "name": "Wattnow", "country": "TN", "city": "Tunis", "stage": "contacted",
        "owner": prospecting_officer.pk, "contacts-TOTAL_FORMS": 1,
        "contacts-0-name": "Amel Ben Ali", "contacts-0-role": "CEO", "contacts-0-email": "amel@wattnow.example"}
    response = client.post("/admin/prospecting/prospect/add/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    prospect = Prospect.objects.get(name="Wattnow")
    assert prospect.stage == Stage.CONTACTED
    assert str(prospect.contacts.get()) == "Amel Ben Ali (CEO)"
    assert prospect.stage_changes.get().to_stage == "contacted"


@pytest.mark.django_db
@pytest.mark.parametrize(("stage", "reason", "field"), [("settled", "", "stage"), ("meeting_held", "", "stage"),
                                                       ("lost", "", "lost_reason")])
def test_admin_refuses_nonsense_stage_moves(client_for, prospecting_officer, prospect, stage, reason, field):
    client = client_for(prospecting_officer)
    page = client.get(f"/admin/prospecting/prospect/{prospect.pk}/change/")
    data = inline_management(page) | {"name": prospect.name, "country": "TW", "stage": stage, "lost_reason": reason,
                                      "owner": prospecting_officer.pk}
    response = client.post(f"/admin/prospecting/prospect/{prospect.pk}/change/", data)
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    prospect.refresh_from_db()
    assert prospect.stage == Stage.IDENTIFIED


@pytest.mark.django_db
def test_prospect_page_lists_meetings_and_tools(client_for, prospecting_officer, prospect):
    past_meeting(prospect, timezone="Asia/Taipei", starts_at=dt.datetime(2026, 3, 10, 7, tzinfo=dt.UTC))
    html = client_for(prospecting_officer).get(f"/admin/prospecting/prospect/{prospect.pk}/change/").content.decode()
    assert "10/03/2026 15:00 (Taipei)" in html
    assert "10/03/2026 08:00" in html
    assert f"/admin/prospecting/meeting/add/?prospect={prospect.pk}" in html
    assert f"/pilotage/prospection/prospects/{prospect.pk}/fiches/" in html


@pytest.mark.django_db
def test_settlement_recorded_in_the_admin_moves_the_prospect(client_for, prospecting_officer, prospect):
    client = client_for(prospecting_officer)
    partner = factories.PartnerFactory(name="Invest in Toulouse")
    response = client.post("/admin/prospecting/settlement/add/", {
        "prospect": prospect.pk, "settled_on": "2026-10-01", "site_city": "Toulouse", "jobs_planned": 15,
        "partners": [partner.pk]})
    assert response.status_code == 302, response.context["adminform"].form.errors
    settlement = Settlement.objects.get()
    assert list(settlement.partners.all()) == [partner]
    prospect.refresh_from_db()
    assert prospect.stage == Stage.SETTLED
    again = client.post("/admin/prospecting/settlement/add/", {
        "prospect": prospect.pk, "settled_on": "2026-10-02", "site_city": "Albi", "jobs_planned": 1})
    assert again.status_code == 200
    assert "prospect" in again.context["adminform"].form.errors
    negative = client.post("/admin/prospecting/settlement/add/", {
        "prospect": factories.ProspectFactory().pk, "settled_on": "2026-10-02", "site_city": "Albi",
        "jobs_planned": -3})
    assert "jobs_planned" in negative.context["adminform"].form.errors


@pytest.mark.django_db
def test_campaign_end_before_start_is_refused(client_for, prospecting_officer):
    response = client_for(prospecting_officer).post("/admin/prospecting/prospectingcampaign/add/", {
        "name": "CES", "countries": ["US"], "starts_on": "2026-01-10", "ends_on": "2026-01-05", "budget": "100"})
    assert response.status_code == 200
    assert "ends_on" in response.context["adminform"].form.errors


@pytest.mark.django_db
def test_lost_prospect_is_reopened_from_the_admin(client_for, prospecting_officer, prospect):
    from prospecting import services

    services.prospect_move(prospect=prospect, stage=Stage.LOST, lost_reason="Budget frozen")
    client = client_for(prospecting_officer)
    page = client.get(f"/admin/prospecting/prospect/{prospect.pk}/change/")
    data = inline_management(page) | {"name": prospect.name, "country": "TW", "stage": "contacted",
                                      "lost_reason": "", "owner": prospecting_officer.pk}
    response = client.post(f"/admin/prospecting/prospect/{prospect.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    prospect.refresh_from_db()
    assert (prospect.stage, prospect.lost_reason) == (Stage.CONTACTED, "")
    lost_again = client.post(f"/admin/prospecting/prospect/{prospect.pk}/change/", data | {
        "stage": "lost", "lost_reason": "Chose Lyon"})
    assert lost_again.status_code == 302
    prospect.refresh_from_db()
    assert (prospect.stage, prospect.lost_reason) == (Stage.LOST, "Chose Lyon")
    assert [c.to_stage for c in prospect.stage_changes.order_by("id")] == ["lost", "contacted", "lost"]


@pytest.mark.django_db
def test_a_refused_deletion_comes_back_with_the_reason_and_deletes_nothing(client_for, prospecting_officer, prospect,
                                                                           monkeypatch):
    from prospecting import services

    settlement = services.settlement_record(prospect=prospect, settled_on=dt.date(2026, 10, 1), site_city="Albi",
                                            jobs_planned=3, by=prospecting_officer)

    def refuse(**kwargs):
        Settlement.objects.all().delete()  # a first step of the service, undone with the refusal
        raise services.ProspectingError("Suppression impossible.")

    monkeypatch.setattr(services, "settlement_delete", refuse)
    url = f"/admin/prospecting/settlement/{settlement.pk}/delete/"
    response = client_for(prospecting_officer).post(url, {"post": "yes"}, follow=True)
    assert response.redirect_chain == [(url, 302)]
    assert [(m.level_tag, m.message) for m in response.context["messages"]] == [("error", "Suppression impossible.")]
    assert Settlement.objects.filter(pk=settlement.pk).exists()


def test_prospect_list_counts_meetings_shows_the_last_one_and_sorts_by_count(client_for, prospecting_officer):
    busy = factories.ProspectFactory(name="Ubiik")
    quiet = factories.ProspectFactory(name="Cognitus")
    factories.ProspectFactory(name="Wattnow")
    last = timezone.now() - dt.timedelta(days=1)
    for days in (30, 10):
        factories.MeetingFactory(prospect=busy, starts_at=last - dt.timedelta(days=days))
    factories.MeetingFactory(prospect=busy, starts_at=last)
    factories.MeetingFactory(prospect=quiet)
    client = client_for(prospecting_officer)
    columns = client.get("/admin/prospecting/prospect/").context["cl"].list_display
    page = client.get("/admin/prospecting/prospect/", {"o": f"-{columns.index('meeting_count')}"})
    rows = {p.name: (p.n_meetings, p.last_meeting_at) for p in page.context["cl"].result_list}
    assert rows["Ubiik"] == (3, last)
    assert rows["Wattnow"] == (0, None)
    assert rows["Cognitus"][0] == 1
    assert [p.name for p in page.context["cl"].result_list] == ["Ubiik", "Cognitus", "Wattnow"]


def _list_queries(client, params=None) -> tuple[int, dict]:
    client.get("/admin/prospecting/prospect/", params or {})  # the first request does one-off work
    with CaptureQueriesContext(connection) as ctx:
        page = client.get("/admin/prospecting/prospect/", params or {})
    rows = {p.name: (p.n_meetings, p.last_meeting_at) for p in page.context["cl"].result_list}
    return len(ctx.captured_queries), rows


def test_prospect_list_reads_the_page_meetings_in_one_query_whatever_the_rows(client_for, prospecting_officer):
    last = timezone.now() - dt.timedelta(days=1)
    busy = factories.ProspectFactory(name="Ubiik")
    factories.MeetingFactory(prospect=busy, starts_at=last - dt.timedelta(days=3))
    factories.MeetingFactory(prospect=busy, starts_at=last)
    factories.ProspectFactory(name="Wattnow")
    client = client_for(prospecting_officer)
    few, rows = _list_queries(client)
    assert rows == {"Ubiik": (2, last), "Wattnow": (0, None)}
    for n in range(8):
        factories.MeetingFactory(prospect=factories.ProspectFactory(name=f"Prospect {n}"))
    many, rows = _list_queries(client)
    assert many == few
    assert rows["Ubiik"] == (2, last)
    assert rows["Prospect 3"][0] == 1
    # Sorted by a figure, the figures come with the list's own query: no extra one.
    columns = client.get("/admin/prospecting/prospect/").context["cl"].list_display
    sorted_queries, rows = _list_queries(client, {"o": f"-{columns.index('last_meeting')}"})
    assert sorted_queries == many - 1
    assert rows["Ubiik"] == (2, last)


@pytest.mark.parametrize("order", ["99", "x", "-8.1", "--3", "7.", ""])
def test_a_malformed_sort_of_the_prospect_list_still_shows_the_meetings(client_for, prospecting_officer, order):
    prospect = factories.ProspectFactory(name="Ubiik")
    factories.MeetingFactory(prospect=prospect, starts_at=timezone.now() - dt.timedelta(days=1))
    response = client_for(prospecting_officer).get("/admin/prospecting/prospect/", {"o": order})
    assert response.status_code == 200
    assert [p.n_meetings for p in response.context["cl"].result_list] == [1]


@pytest.mark.parametrize(("lang", "taiwan", "tunisia"), [("fr", "Taïwan", "Tunisie"), ("en", "Taiwan", "Tunisia")])
def test_prospect_list_names_each_country_in_the_officer_s_language_and_sorts_by_it(
        client_for, prospecting_officer, lang, taiwan, tunisia):
    factories.ProspectFactory(name="Ubiik", country="TW")
    factories.ProspectFactory(name="Wattnow", country="TN")
    client = client_for(prospecting_officer)
    with translation.override(lang):
        columns = client.get("/admin/prospecting/prospect/", HTTP_ACCEPT_LANGUAGE=lang).context["cl"].list_display
        page = client.get("/admin/prospecting/prospect/", {"o": f"-{columns.index('country_name')}"},
                          HTTP_ACCEPT_LANGUAGE=lang)
    html = page.content.decode()
    assert taiwan in html and tunisia in html
    assert [p.name for p in page.context["cl"].result_list] == ["Ubiik", "Wattnow"]  # TW after TN, descending
