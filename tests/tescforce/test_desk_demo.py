"""On the demo data, every demo staff account signs in and lands on a desk showing its own sections."""

import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db

EXPECTED = {
    "hotline": {"hotline"},
    "coordinatrice": {"sessions", "targets", "qualification"},
    "recruteur-alpha": {"postings", "company_sessions"},
    "recruteur-beta": {"postings", "company_sessions"},
    "prospection": {"prospecting"},
}


@pytest.mark.parametrize("username", sorted(EXPECTED))
def test_each_demo_account_lands_on_its_desk(demo_data, settings, client, username):
    settings.DEMO_MODE = True
    client.force_login(get_user_model().objects.get(username=username))
    body = client.get("/pilotage/").content.decode()
    shown = {key for key in ("hotline", "sessions", "targets", "qualification", "postings", "company_sessions",
                             "prospecting") if f'data-desk-section="{key}"' in body}
    assert shown == EXPECTED[username]


def test_a_demo_recruiter_never_sees_the_other_companys_postings(demo_data, client):
    alpha = get_user_model().objects.get(username="recruteur-alpha")
    beta_titles = list(get_user_model().objects.get(username="recruteur-beta").recruiter.company.postings
                       .values_list("title", flat=True))
    alpha_titles = set(alpha.recruiter.company.postings.values_list("title", flat=True))
    client.force_login(alpha)
    body = client.get("/pilotage/").content.decode()
    assert [t for t in beta_titles if t not in alpha_titles and f">{t}</a>" in body] == []
