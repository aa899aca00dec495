import pytest
from django.contrib.auth.models import Group

from tescforce import roles


@pytest.mark.django_db
def test_healthz_answers_ok(client):
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/fr/", "/en/", "/fr/accessibilite/", "/en/accessibilite/"])
def test_public_pages_render_in_both_languages(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert f'<html lang="{path[1:3]}">' in response.content.decode()


@pytest.mark.django_db
def test_root_redirects_to_french(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/fr/"


@pytest.mark.django_db
def test_roles_exist_with_permissions():
    for name in (roles.COORDINATORS, roles.HOTLINE, roles.RECRUITERS, roles.PROSPECTING):
        assert Group.objects.get(name=name).permissions.exists()


@pytest.mark.django_db
def test_english_pages_are_translated(client):
    english = client.get("/en/").content.decode()
    assert "Skip to content" in english
    assert "Making Occitanie a major Tech Valley" in english
    french = client.get("/fr/").content.decode()
    assert "Aller au contenu" in french
