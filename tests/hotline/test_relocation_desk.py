"""Relocation requests at the hotline: opened by a clear link, followed by whoever opens them, needs editable."""

import datetime as dt
import html

import pytest
from django.utils import timezone

from hotline.models import RelocationRequest

LIST = "/pilotage/hotline/installations/"


@pytest.fixture
def relocation(candidate):
    return RelocationRequest.objects.create(candidate=candidate, need_housing=True, target_city="Montpellier",
                                            target_date=timezone.localdate() - dt.timedelta(days=3),
                                            origin=RelocationRequest.Origin.SPACE)


def _edit(relocation) -> str:
    return f"/pilotage/hotline/installations/{relocation.pk}/"


@pytest.mark.django_db
def test_each_request_opens_by_a_clear_link_not_by_its_city(client_for, hotline_agent, relocation):
    page = client_for(hotline_agent).get(LIST).content.decode()
    assert f'href="{_edit(relocation)}">Ouvrir la demande</a>' in page
    assert f'href="{_edit(relocation)}">Montpellier' not in page


@pytest.mark.django_db
def test_suivie_par_is_preset_to_the_agent_when_nobody_follows_the_request(client_for, hotline_agent, coordinator,
                                                                           relocation):
    client = client_for(hotline_agent)
    assert client.get(_edit(relocation)).context["form"].initial["owner"] == hotline_agent.pk
    RelocationRequest.objects.filter(pk=relocation.pk).update(owner=coordinator)
    assert client.get(_edit(relocation)).context["form"].initial["owner"] == coordinator.pk


@pytest.mark.django_db
def test_the_needs_can_be_changed_later_and_a_past_arrival_date_kept(client_for, hotline_agent, relocation):
    client = client_for(hotline_agent)
    form = client.get(_edit(relocation)).context["form"]
    assert form.initial["need_housing"] is True and "need_schools" in form.fields
    response = client.post(_edit(relocation), {
        "status": "in_progress", "owner": hotline_agent.pk, "target_city": "Montpellier",
        "target_date": relocation.target_date.isoformat(), "need_schools": "on", "need_transport": "on",
        "need_other": "Garde d'un chien", "notes": ""})
    assert response.status_code == 302
    relocation.refresh_from_db()
    assert (relocation.need_housing, relocation.need_schools, relocation.need_transport) == (False, True, True)
    assert relocation.need_other == "Garde d'un chien" and relocation.owner == hotline_agent


@pytest.mark.django_db
def test_a_request_left_without_any_need_or_moved_to_a_past_date_is_refused(client_for, hotline_agent, relocation):
    client = client_for(hotline_agent)
    base = {"status": "open", "target_city": "Montpellier", "notes": ""}
    response = client.post(_edit(relocation), base)
    assert response.status_code == 200 and "Cochez au moins un besoin." in response.content.decode()
    response = client.post(_edit(relocation), {**base, "need_housing": "on", "target_date": "2020-01-01"})
    assert "La date d'arrivée ne peut pas être dans le passé." in html.unescape(response.content.decode())
    relocation.refresh_from_db()
    assert relocation.need_housing and relocation.target_date != dt.date(2020, 1, 1)


@pytest.mark.django_db
def test_roles_without_hotline_access_cannot_open_a_request(client_for, prospecting_officer, recruiter_a, relocation):
    for user in (prospecting_officer, recruiter_a):
        assert client_for(user).get(_edit(relocation)).status_code == 403
        assert client_for(user).get(LIST).status_code == 403
