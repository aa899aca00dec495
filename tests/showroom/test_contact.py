import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def test_contact_form_names_countries_in_the_visitor_language(client):
    use_case = factories.UseCaseFactory(slug="pays-langue")
    english = client.get(f"/en/showroom/{use_case.slug}/contact/").content.decode()
    french = client.get(f"/fr/showroom/{use_case.slug}/contact/").content.decode()
    assert '<option value="DE">Germany</option>' in english
    assert '<option value="DE">Allemagne</option>' in french
