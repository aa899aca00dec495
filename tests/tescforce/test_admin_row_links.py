"""A list's row links keep its filters, search, sort and page exactly as Django's admin writes them."""

from urllib.parse import urlencode

import pytest
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.urls import reverse
from django.utils.html import escape

from candidates.models import Candidate
from tests import factories


def _django_link(pk: int, query: str) -> str:
    preserved = urlencode({"_changelist_filters": query}) if query else ""
    url = reverse("admin:candidates_candidate_change", args=[pk])
    return add_preserved_filters({"preserved_filters": preserved, "opts": Candidate._meta}, url)


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["", "q=Dupont", "q=H%C3%A9l%C3%A8ne+Dupont&o=-2&p=1", "profile__exact=retraining",
                                   # The list a related field's magnifier opens, to pick a row.
                                   "_popup=1&_to_field=id", "_popup=1&_to_field=id&q=Dupont"])
def test_row_links_are_django_s_own(client_for, coordinator, query):
    person = factories.CandidateFactory(first_name="Hélène", last_name="Dupont", profile="retraining")
    response = client_for(coordinator).get(f"/admin/candidates/candidate/?{query}")
    assert response.status_code == 200
    link = _django_link(person.pk, response.wsgi_request.GET.urlencode())
    assert ("?_changelist_filters=" in link) is bool(query)
    assert f'href="{escape(link)}"' in response.content.decode()
    if "_popup" in query:
        # Picking the row hands its id back to the form that opened the list.
        assert f'href="{escape(link)}" data-popup-opener="{person.pk}"' in response.content.decode()


@pytest.mark.django_db
def test_prospects_row_links_keep_the_filters(client_for, prospecting_officer):
    prospect = factories.ProspectFactory(name="Cognitus")
    response = client_for(prospecting_officer).get("/admin/prospecting/prospect/?q=Cognitus&o=1")
    assert response.status_code == 200
    expected = (reverse("admin:prospecting_prospect_change", args=[prospect.pk]) + "?"
                + urlencode({"_changelist_filters": "q=Cognitus&o=1"}))
    assert f'href="{escape(expected)}"' in response.content.decode()



@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "en"])
def test_action_checkboxes_are_django_s_own(language):
    """The admins write each row's checkbox directly; the HTML is the one Django's widget renders."""
    from django.contrib import admin
    from django.utils import translation

    from companies.models import Company
    from events.models import Registration

    person = factories.CandidateFactory(first_name='Zoé <b>"l\'Æ"</b> &', last_name="O'Brien")
    rows = [person, factories.RegistrationFactory(candidate=person),
            factories.CompanyFactory(name="<Alpha> & \"Fils\"", slug="alpha-fils")]
    for row, model in zip(rows, (Candidate, Registration, Company), strict=True):
        model_admin = admin.site._registry[model]
        assert type(model_admin).action_checkbox is not admin.ModelAdmin.action_checkbox
        with translation.override(language):
            expected = admin.ModelAdmin.action_checkbox(model_admin, row)
            assert model_admin.action_checkbox(row) == expected
        assert ("Choisir cet objet" in expected) is (language == "fr")
        assert "&lt;" in expected and "&amp;" in expected


@pytest.mark.django_db
def test_a_long_list_shows_each_row_s_checkbox(client_for, coordinator):
    from django.contrib import admin
    from django.utils import translation

    person = factories.CandidateFactory(first_name="Hélène", last_name="Dupont")
    response = client_for(coordinator).get("/admin/candidates/candidate/")
    assert response.status_code == 200
    with translation.override("fr"):
        checkbox = admin.ModelAdmin.action_checkbox(admin.site._registry[Candidate], person)
    assert checkbox in response.content.decode()
