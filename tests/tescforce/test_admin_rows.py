"""The admin lists' rows (tescforce/templatetags/admin_rows.py) are Django's own, cell for cell."""

import re

import pytest
from django.contrib import admin
from django.contrib.admin.templatetags import admin_list
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation

from tescforce.templatetags import admin_rows
from tests import factories

# The list, sorted by its first column descending, and as the popup a related field's magnifier opens.
QUERIES = ["", "o=-1", "_popup=1&_to_field={pk}"]


def _django_row(cl, row) -> str:
    return "".join(admin_list.items_for_result(cl, row, None))


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_list_s_rows_are_django_s_own(demo_data, client, language):
    """Every model the admin lists, on the demo data: the same HTML per row as Django's `items_for_result`."""
    factories.CandidateFactory(first_name='Zoé <b>"l\'Æ"</b> &', last_name="O'Brien", phone="")
    client.force_login(get_user_model().objects.create_superuser("rows-admin", "rows@example.org", "unused-pw-12"))
    compared, lists = 0, 0
    for model, model_admin in admin.site._registry.items():
        if model_admin.list_editable:
            continue
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for query in QUERIES:
            query = query.format(pk=model._meta.pk.name)
            response = client.get(f"{url}?{query}", headers={"accept-language": language})
            if response.status_code == 302:  # a single row's model (the security policy) opens its form
                continue
            assert response.status_code == 200, (url, query)
            cl = response.context["cl"]
            rows = list(cl.result_list)
            with translation.override(language):
                lists += bool(rows)
                for row in rows:
                    assert admin_rows.row_html(cl, row) == _django_row(cl, row), (url, query, row.pk)
                    compared += 1
    # The demo data fills most lists; the comparison must have had rows to read.
    assert lists > 40 and compared > 1000, (lists, compared)


@pytest.mark.django_db
def test_a_list_page_writes_django_s_rows(client_for, coordinator):
    person = factories.CandidateFactory(first_name="Hélène <i>", last_name="Dupont & fils")
    response = client_for(coordinator).get("/admin/candidates/candidate/?q=Dupont")
    assert response.status_code == 200
    cl = response.context["cl"]
    expected = _django_row(cl, next(row for row in cl.result_list if row.pk == person.pk))
    assert f"<tr>{expected}</tr>" in response.content.decode()
    assert "Hélène &lt;i&gt;" in expected


@pytest.mark.django_db
def test_a_list_edited_in_place_keeps_django_s_form_cells(client_for, coordinator):
    """The use cases' list edits columns in place: its rows hold Django's form fields."""
    case = factories.UseCaseFactory(title="Jumeau numérique")
    response = client_for(coordinator).get("/admin/showroom/usecase/")
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(rf'<input type="hidden" name="form-(\d+)-id" value="{case.pk}"', html)
    assert '<input type="number" name="form-0-position"' in html

