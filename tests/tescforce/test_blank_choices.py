"""Empty choices say what to do, in the visitor's language: never Django's "---------"."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db

ADMIN_PAGES = [
    "/admin/events/session/add/", "/admin/events/session/", "/admin/companies/jobposting/add/",
    "/admin/companies/jobposting/", "/admin/candidates/candidate/add/", "/admin/hotline/hotlinecall/add/",
]


@pytest.mark.parametrize(("language", "words"), [("fr", "Choisir…"), ("en", "Choose…")])
def test_admin_selects_and_action_menu_have_a_worded_blank_choice(client_for, coordinator, language, words):
    factories.SessionFactory()
    factories.JobPostingFactory()  # a list with rows has the action menu
    client = client_for(coordinator)
    for path in ADMIN_PAGES:
        response = client.get(path, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, path
        html = response.content.decode()
        assert "---------" not in html, path
        assert f'<option value="" selected>{words}</option>' in html, path


@pytest.mark.parametrize("language", ["fr", "en"])
def test_public_forms_have_no_dashed_blank_choice(client, language):
    factories.JobPostingFactory()
    factories.UseCaseFactory()
    for path in ("/", "/offres/", "/inscription/", "/sessions/", "/showroom/", "/mon-espace/"):
        response = client.get(f"/{language}{path}")
        assert response.status_code == 200, path
        assert "---------" not in response.content.decode(), path


def test_admin_shows_where_to_write_the_english_texts(client_for, coordinator):
    client = client_for(coordinator)
    for path, fields in (("/admin/companies/jobposting/add/", ("title_en", "description_en")),
                         ("/admin/events/session/add/", ("title_en", "programme_text_en"))):
        html = client.get(path).content.decode()
        assert "En anglais (facultatif)" in html and "signalé « en français »" in html
        for field in fields:
            assert f'name="{field}"' in html, (path, field)
