"""A candidate on a phone asks for alerts in Mon espace, gets the alert e-mail, and unsubscribes from its link."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from playwright.sync_api import expect

from alerts.models import Subscription
from alerts.tasks import send_due_alerts
from candidates import tokens
from candidates.models import Consent
from matching.models import Match
from tests import factories

from .journey_steps import LANGUAGES, emails_to, reference_data, tr


@pytest.mark.parametrize("lang", LANGUAGES)
def test_candidate_subscribes_to_alerts_gets_one_and_unsubscribes_on_a_phone(phone_journey, lang):
    reference_data()
    journey, page = phone_journey, phone_journey.page
    email = f"ines.{lang}@example.org"
    candidate = factories.CandidateFactory(first_name="Inès", email=email, city="Toulouse", language=lang)
    factories.give_consent(candidate, Consent.Kind.PROCESSING)

    # Mon espace, from its e-mailed link.
    token = tokens.make_token(candidate_public_id=str(candidate.public_id), purpose="space")
    journey.open(f"/{lang}/mon-espace/lien/{token}/", "mon espace")
    alerts = page.get_by_role("region", name=tr("Mes alertes", lang))
    alerts.scroll_into_view_if_needed()
    offers = alerts.get_by_role("group", name=tr("Nouvelles offres correspondant à mon profil", lang))
    offers.get_by_label(tr("Dès qu'il y en a", lang)).check()
    sessions = alerts.get_by_role("group", name=re.compile("Toulouse"))
    sessions.get_by_label(tr("Une fois par semaine", lang)).check()
    journey.step("alerts chosen")
    alerts.get_by_role("button", name=tr("Enregistrer mes alertes", lang)).click()
    expect(page.get_by_text(tr("Vos alertes sont enregistrées. Chaque e-mail contient un lien pour vous désinscrire "
                               "en un clic.", lang))).to_be_visible()
    expect(page.get_by_role("region", name=tr("Mes alertes", lang)).get_by_role(
        "group", name=tr("Nouvelles offres correspondant à mon profil", lang)).get_by_label(
        tr("Dès qu'il y en a", lang))).to_be_checked()
    journey.step("alerts saved")
    assert dict(Subscription.objects.filter(candidate=candidate).values_list("kind", "frequency")) == {
        "offers": "immediate", "sessions": "weekly"}

    # A new offer matching the profile is published; the periodic task sends the alert.
    posting = factories.JobPostingFactory(title="Développeuse Django", city="Toulouse")
    Match.objects.update_or_create(candidate=candidate, posting=posting, defaults={"score": 84})
    Subscription.objects.filter(candidate=candidate).update(created_at=posting.published_at.replace(year=2025))
    sent = len(emails_to(email))
    send_due_alerts.delay()
    messages = emails_to(email)
    assert len(messages) > sent
    alert = next(m for m in messages if "Développeuse Django" in m.body)
    assert alert.extra_headers["Content-Language"] == lang
    assert alert.message()["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = urlsplit(alert.message()["List-Unsubscribe"].strip("<>")).path
    assert unsubscribe.startswith(f"/{lang}/alertes/desinscription/")

    # The link in the e-mail, on another visit without Mon espace: a confirmation, then one tap.
    page.context.clear_cookies()
    journey.open(unsubscribe, "unsubscribe page")
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("Se désinscrire d'une alerte", lang))
    page.get_by_role("button", name=tr("Me désinscrire", lang)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("Vous êtes désinscrit·e", lang))
    journey.step("unsubscribed")
    assert list(Subscription.objects.filter(candidate=candidate).values_list("kind", flat=True)) == ["sessions"]

    # Nothing more about offers, even with a new one.
    other = factories.JobPostingFactory(title="Data engineer", city="Toulouse")
    Match.objects.update_or_create(candidate=candidate, posting=other, defaults={"score": 90})
    before = len(mail.outbox)
    send_due_alerts.delay()
    assert not [m for m in mail.outbox[before:] if "Data engineer" in m.body]
