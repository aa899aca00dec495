"""The scoped admins' shared pieces: the row checkbox they write directly must stay Django's markup."""

import pytest
from django.contrib import admin
from django.utils import translation

from tests.factories import JobPostingFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["fr", "en"])
def test_row_checkbox_is_djangos_markup(language):
    posting = JobPostingFactory(title='Dév <Python> & "data"')
    model_admin = admin.site._registry[type(posting)]
    with translation.override(language):
        ours = model_admin.action_checkbox(posting)
        djangos = admin.ModelAdmin.action_checkbox(model_admin, posting)
    assert ours == djangos
    assert "&lt;Python&gt;" in ours


def test_publish_action_from_the_changelist_checkbox(client_for, coordinator):
    posting = JobPostingFactory(status="draft")
    client = client_for(coordinator)
    page = client.get("/admin/companies/jobposting/").content.decode()
    assert f'name="_selected_action" value="{posting.pk}" class="action-select"' in page
    response = client.post("/admin/companies/jobposting/", {"action": "publish", "_selected_action": [posting.pk]})
    assert response.status_code == 302
    posting.refresh_from_db()
    assert posting.status == "published"
