"""Coordinators' admin of courses and API keys: a key is shown once and stored hashed, revoked for good, never
deleted; a course belongs to a training body or a school. Other roles see neither."""

import html
import re

import pytest
from django.contrib.messages import get_messages

from partners.api import keys
from partners.models import ApiKey, Course

from .course_rows import course, skill

pytestmark = pytest.mark.django_db
# The training bodies, the prescriber and their keys.
pytest_plugins = ["tests.partners.course_fixtures"]


def test_a_coordinator_creates_a_key_sees_it_once_and_the_key_opens_the_api(client_for, coordinator, academy):
    client = client_for(coordinator)
    response = client.post("/admin/partners/apikey/add/", {"partner": academy.pk, "name": "ERP de l'académie"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    body = response.content.decode()
    key = re.search(r'id="api-key" type="text" readonly value="([^"]+)"', body).group(1)
    row = ApiKey.objects.get()
    assert row.partner == academy and row.created_by == coordinator and key.startswith(row.prefix + ".")
    assert key not in row.hashed_key and not list(get_messages(response.wsgi_request))
    assert client.get(f"/admin/partners/apikey/{row.pk}/change/").content.decode().count(key) == 0
    assert client.get("/api/v1/partner/courses/", HTTP_AUTHORIZATION=f"Api-Key {key}").status_code == 200


def test_a_coordinator_revokes_keys_for_good_and_never_deletes_them(client_for, coordinator, academy):
    row, key = keys.api_key_create(partner=academy, name="Ancien logiciel")
    client = client_for(coordinator)
    response = client.post("/admin/partners/apikey/", {"action": "revoke", "_selected_action": [row.pk]}, follow=True)
    assert "1 clé révoquée : elle n'ouvre plus l'API." in html.unescape(response.content.decode())
    row.refresh_from_db()
    assert row.revoked_at is not None and row.revoked_by == coordinator
    assert client.get("/api/v1/partner/courses/", HTTP_AUTHORIZATION=f"Api-Key {key}").status_code == 401
    assert not keys.api_key_revoke(key=row)  # already revoked: nothing changes
    assert client.get(f"/admin/partners/apikey/{row.pk}/delete/").status_code == 403
    assert client.post(f"/admin/partners/apikey/{row.pk}/change/", {"name": "Renommée"}).status_code == 302
    row.refresh_from_db()
    assert row.name == "Ancien logiciel"  # a revoked key's fields are read-only


def test_a_coordinator_adds_a_course_for_a_training_body_only(client_for, coordinator, academy, agency):
    client = client_for(coordinator)
    data = {"partner": academy.pk, "title": "Analyste SOC", "skills": [skill("SOC", "soc").pk], "city": "Toulouse",
            "starts_on": "2031-01-05", "ends_on": "2031-06-30", "fundings": ["cpf", "free"],
            "link": "https://academie.example/soc", "is_published": "on"}
    assert client.post("/admin/partners/course/add/", data).status_code == 302
    saved = Course.objects.get()
    assert saved.fundings == ["cpf", "free"] and saved.created_by == coordinator
    refused = client.post("/admin/partners/course/add/", {**data, "partner": agency.pk, "title": "Refusée"})
    assert refused.status_code == 200 and "Sélectionnez un choix valide" in refused.content.decode()
    assert Course.objects.count() == 1


@pytest.mark.parametrize("fixture", ["hotline_agent", "recruiter_a", "prospecting_officer"])
def test_other_roles_see_neither_courses_nor_keys_in_the_admin(request, client_for, academy, fixture):
    course(academy)
    row, _key = keys.api_key_create(partner=academy, name="Clé")
    client = client_for(request.getfixturevalue(fixture))
    for url in ("/admin/partners/course/", "/admin/partners/apikey/", f"/admin/partners/apikey/{row.pk}/change/",
                "/admin/partners/apikey/add/"):
        assert client.get(url).status_code in (302, 403, 404), url
