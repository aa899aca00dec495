import re

import pytest
from django.core import mail

from companies.models import Partner
from tests import factories


@pytest.fixture
def agency_a(db):
    return factories.PartnerFactory(name="France Travail Toulouse Compans", kind=Partner.Kind.FRANCE_TRAVAIL)


@pytest.fixture
def agency_b(db):
    return factories.PartnerFactory(name="Mission locale Montpellier", kind=Partner.Kind.MISSION_LOCALE)


@pytest.fixture
def member_a(agency_a):
    return factories.partner_member(agency_a, username="partenaire-a", email="conseillere.a@francetravail.example")


@pytest.fixture
def member_b(agency_b):
    return factories.partner_member(agency_b, username="partenaire-b", email="conseiller.b@ml.example")


def referral_data(**overrides):
    data = {"first_name": "Inès", "last_name": "Benali", "email": "ines.benali@example.org", "phone": "",
            "postcode": "31200", "language": "fr", "profile": "retraining", "skills": [], "proposed_session": "",
            "proposed_track": "Reconversion développeuse web", "note": "Motivée, disponible en janvier."}
    data.update(overrides)
    return data


def service_data(**overrides):
    """What the referral form hands the service (cleaned values)."""
    data = referral_data(**overrides)
    data["proposed_session"] = overrides.get("proposed_session")
    data.pop("skills")
    return data


def link_in(message) -> str:
    """The first link of the site in an e-mail's text body."""
    return re.search(r"https?://\S+", message.body).group(0)


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


@pytest.fixture
def outbox():
    mail.outbox = []
    return mail.outbox


@pytest.fixture(autouse=True)
def _on_commit_at_once(monkeypatch):
    # Each test runs in a transaction that never commits: run what waits for the commit (the e-mails) at once.
    from django.db import transaction

    def at_once(func, using=None, robust=False):
        func()

    monkeypatch.setattr(transaction, "on_commit", at_once)
