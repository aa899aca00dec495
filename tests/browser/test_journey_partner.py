"""A partner adviser refers a person; the person confirms from the e-mail and books the proposed session;
the adviser sees the status move and reads the weekly digest."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from candidates import wording
from candidates.models import Candidate
from companies.models import Partner
from events.models import Registration
from partners import services
from partners import wording as partner_wording
from partners.models import Member, Referral
from tests import factories

from .journey_steps import LANGUAGES, PASSWORD, field, link_from_email, reference_data, tr


def partner_sign_in(journey, lang, username):
    page = journey.open(f"/{lang}/partenaires/", "sign-in page")
    page.get_by_label(tr("Identifiant ou e-mail", lang)).fill(username)
    page.get_by_label(tr("Mot de passe", lang)).fill(PASSWORD)
    page.get_by_role("button", name=tr("Se connecter", lang)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("Les personnes que vous avez orientées", lang))
    return page


@pytest.mark.parametrize("lang", LANGUAGES)
def test_partner_refers_a_person_who_confirms_and_books_then_reads_the_digest(journey, lang):
    reference_data()
    session = factories.SessionFactory(title="Numéric Emploi Toulouse", title_en="Numéric Emploi Toulouse",
                                       city="Toulouse")
    agency = factories.PartnerFactory(name="France Travail Toulouse Compans", kind=Partner.Kind.FRANCE_TRAVAIL)
    member = factories.partner_member(agency, username=f"conseillere-{lang}", language=lang,
                                      email=f"conseillere.{lang}@francetravail.example")
    email = f"ines.{lang}@example.org"

    # The adviser signs in on the partner page and refers a person, proposing the session.
    page = partner_sign_in(journey, lang, member.user.username)
    page.get_by_role("link", name=tr("Orienter une personne", lang)).first.click()
    page.get_by_label(field("prénom", lang)).fill("Inès")
    page.get_by_label(field("nom", lang)).fill("Benali")
    page.get_by_label(field("e-mail", lang)).fill(email)
    page.get_by_label(field("code postal", lang)).fill("31200")
    page.get_by_label(field("langue de la personne", lang)).select_option(lang)
    page.get_by_label(tr("En reconversion professionnelle", lang)).check()
    page.get_by_label(field("Session proposée", lang)).select_option(index=1)
    page.get_by_label(field("note pour l'équipe", lang)).fill("Rencontrée en atelier, disponible en janvier.")
    journey.step("referral form filled")
    page.get_by_role("button", name=tr("Orienter cette personne", lang)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inès Benali")
    expect(page.get_by_text(tr("Orienté·e, en attente de sa réponse", lang)).first).to_be_visible()
    journey.step("referral saved, waiting")
    assert not Candidate.objects.filter(email=email).exists()
    page.get_by_role("button", name=tr("Se déconnecter", lang)).click()

    # The person opens the e-mailed link, completes and consents themselves, then books in one click.
    journey.open(link_from_email(email, "/orientation/"), "referral link")
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("Confirmez votre inscription à Tesc Force", lang))
    page.get_by_label(field("téléphone", lang)).fill("06 12 34 56 70")
    page.get_by_label(field("ville", lang)).fill("Toulouse")
    page.get_by_label(field("expérience dans le numérique", lang)).select_option(
        label=tr("Aucune dans le numérique", lang))
    page.get_by_label(tr(str(wording.PROCESSING_TEXT), lang)).check()
    with_partner = tr(str(partner_wording.SHARE_TEXT), lang) % {"partner": agency.name}
    page.get_by_label(with_partner).check()
    journey.step("registration completed with consents")
    page.get_by_role("button", name=tr("Confirmer mon inscription", lang)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("Votre inscription est confirmée", lang))
    page.get_by_role("link", name=re.compile(re.escape(tr("Réserver la session proposée : %(title)s", lang)
                                                       .split("%")[0]))).click()
    page.get_by_role("button", name=tr("Réserver ma place", lang)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("Votre place est réservée", lang))
    journey.step("session booked")
    candidate = Candidate.objects.get(email=email)
    assert candidate.is_confirmed
    assert Registration.objects.get(session=session, candidate=candidate).status == Registration.Status.CONFIRMED

    # The adviser sees the status move, with its date.
    page.context.clear_cookies()
    page = partner_sign_in(journey, lang, member.user.username)
    row = page.get_by_role("row", name=re.compile("Inès Benali"))
    expect(row).to_contain_text(tr("Inscrit·e à une session", lang))
    journey.step("status moved")

    # Next Monday's digest, read as the adviser's mail client would render it.
    mail.outbox.clear()
    assert services.digest_send(member=Member.objects.get(pk=member.pk),
                                day=timezone.localdate() + dt.timedelta(days=7))
    (digest,) = mail.outbox
    html = next(content for content, kind in digest.alternatives if kind == "text/html")
    page.set_content(html)
    expect(page.locator("body")).to_contain_text("Inès Benali")
    expect(page.locator("body")).to_contain_text(tr("Inscrit·e à une session", lang))
    journey.step("weekly digest")
    assert Referral.objects.get().shares_progress
