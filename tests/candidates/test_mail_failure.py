"""A failing mail server never turns a saved registration into an error page."""

import pytest
from django.core import mail

from candidates.models import Candidate
from tests.mail_backends import FAILING

from .conftest import registration_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("instant_commit")]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_registration_stands_and_shows_the_normal_page_when_the_mail_server_fails(client, reference, settings,
                                                                                   lang):
    settings.EMAIL_BACKEND = FAILING
    response = client.post(f"/{lang}/inscription/", registration_data(reference), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain and response.redirect_chain[-1][1] == 302
    assert Candidate.objects.filter(email=registration_data(reference)["email"]).exists()
    assert mail.outbox == []

