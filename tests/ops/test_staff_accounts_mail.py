"""A new staff account stands when the mail server is down (real commits: the e-mail goes after the commit)."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from tescforce import accounts, roles
from tests import factories


@pytest.mark.django_db(transaction=True)
def test_a_mail_server_down_neither_undoes_nor_breaks_the_new_account(client, monkeypatch):
    def smtp_down(**kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr(accounts, "send_account_email", smtp_down)
    client.force_login(factories.UserFactory(username="coordinatrice", groups=[roles.COORDINATORS]))
    response = client.post("/admin/auth/user/add/", {
        "username": "sans-mail", "email": "sans-mail@tescforce.example",
        "roles": [Group.objects.get(name=roles.HOTLINE).pk]})
    assert response.status_code == 302
    account = get_user_model().objects.get(username="sans-mail")
    assert account.is_staff and not account.has_usable_password()
