"""A candidate's whole life on the site, on a phone: register, confirm, see the offers picked for them and why,
show interest and book in one click, cancel, erase."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from candidates import wording
from candidates.models import Candidate, JobInterest
from events.models import Registration
from events.tickets import TicketError, ticket_code, ticket_verify
from tests import factories

from .journey_steps import LANGUAGES, emails_to, exact, field, link_from_email, reference_data, tr


def open_menu_link(page, lang: str, name: str):
    # On a phone the navigation is folded behind the menu button.
    page.get_by_role("button", name=tr("Ouvrir le menu", lang)).click()
    page.get_by_role("navigation", name=tr("Navigation principale", lang)).get_by_role(
        "link", name=name).click()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_candidate_registers_books_shows_interest_and_erases_the_account_on_a_phone(phone_journey, lang):
    reference_data()
    # The session has an English title; the posting was written in French only (marked on English pages).
    session = factories.SessionFactory(title="Job dating Albi", title_en="Albi job dating", city="Albi")
    nearby = factories.JobPostingFactory(title="Chef de projet logistique", city="Toulouse")
    later = factories.JobPostingFactory(title="Technicienne support", city="Toulouse")
    posting = factories.JobPostingFactory(title="Développeuse Python back-end", city="Montpellier",
                                          company=factories.CompanyFactory(name="Garrigue Logiciels"))
    email = f"lea.{lang}@example.org"
    journey, page = phone_journey, phone_journey.page

    # Registration, from the home page's menu.
    journey.open(f"/{lang}/", "home")
    open_menu_link(page, lang, tr("S'inscrire", lang))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.get_by_label(exact("E-mail", lang)).fill(email)
    page.get_by_label(field("prénom", lang)).fill("Léa")
    page.get_by_label(field("nom", lang)).fill("Fabre")
    page.get_by_label(field("téléphone", lang)).fill("06 11 22 33 44")
    page.get_by_label(field("code postal", lang)).fill("31000")
    page.get_by_label(field("ville", lang)).fill("Toulouse")
    page.get_by_label(tr("En reconversion professionnelle", lang)).check()
    page.get_by_label(field("niveau d'études", lang)).select_option(
        label=tr("Bac +3", lang))
    page.get_by_label(field("expérience dans le numérique", lang)).select_option(
        label=tr("Aucune dans le numérique", lang))
    page.get_by_label(tr("Toulouse et alentours", lang)).check()
    page.get_by_label(tr(str(wording.PROCESSING_TEXT), lang)).check()
    page.get_by_label(tr(str(wording.MATCHED_TEXT), lang)).check()
    journey.step("registration form filled")
    page.get_by_role("button", name=tr("M'inscrire", lang)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("Consultez votre messagerie", lang))
    journey.step("check your e-mail")

    # Double opt-in: the link in the e-mail, then one click.
    candidate = Candidate.objects.get(email=email)
    assert candidate.confirmed_at is None
    journey.open(link_from_email(email, "/inscription/confirmer/"), "confirmation link")
    page.get_by_role("button", name=tr("Je confirme mon inscription", lang)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("Votre inscription est confirmée", lang))
    journey.step("confirmed")
    candidate.refresh_from_db()
    assert candidate.confirmed_at is not None

    # Mon espace: confirming signed them in; the offers picked for them, each with its reasons, and one
    # click to show interest (nothing to type).
    open_menu_link(page, lang, tr("Mon espace", lang))
    offers = page.get_by_role("region", name=tr("Offres pour vous", lang))
    expect(offers).to_be_visible()
    card = offers.get_by_role("article", name=nearby.title)
    expect(card).to_contain_text(tr("%(city)s, votre ville", lang) % {"city": "Toulouse"})
    expect(card).to_contain_text(tr("Pourquoi cette offre", lang))
    journey.step("offers for me, with reasons")
    card.get_by_role("button", name=re.compile(re.escape(tr("Ça m'intéresse", lang)))).click()
    card = page.get_by_role("region", name=tr("Offres pour vous", lang)).get_by_role("article", name=nearby.title)
    expect(card).to_contain_text(tr("Vous avez signalé votre intérêt", lang))
    journey.step("interest shown in one click")
    assert JobInterest.objects.get(candidate=candidate, posting=nearby).confirmed_at is not None

    # A session: booking is one click too, no e-mail to type.
    open_menu_link(page, lang, tr("Sessions Numéric Emploi", lang))
    session_title = "Job dating Albi" if lang == "fr" else "Albi job dating"
    page.get_by_role("link", name=re.compile(session_title)).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(session_title)
    expect(page.get_by_label(tr("Votre e-mail", lang))).to_have_count(0)
    page.get_by_role("button", name=tr("Réserver ma place", lang)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("Votre place est réservée", lang))
    journey.step("seat booked in one click")
    assert Registration.objects.get(session=session, candidate=candidate).status == Registration.Status.CONFIRMED
    # The booking's ticket: its QR code and the code to read aloud, also in the booking e-mail.
    code = ticket_code(Registration.objects.get(session=session, candidate=candidate))
    page.get_by_role("link", name=re.compile("^" + re.escape(tr("Mon billet", lang)))).click()
    expect(page.get_by_role("img", name=re.compile(re.escape(code)))).to_be_visible()
    expect(page.get_by_text(code, exact=True)).to_be_visible()
    journey.step("ticket")
    assert any(code in message.body for message in emails_to(email))

    # A job found on the board: the keyword search, the posting, "I'm interested" in one click.
    open_menu_link(page, lang, tr("Offres d'emploi", lang))
    page.get_by_label(tr("Mots-clés", lang)).fill("python")
    page.get_by_role("button", name=tr("Rechercher", lang), exact=True).click()
    results = page.get_by_role("region", name=re.compile(r"^1 "))
    expect(results.get_by_role("link", name=posting.title)).to_be_visible()
    expect(page.get_by_role("link", name="Chef de projet logistique")).to_have_count(0)
    journey.step("search results")
    results.get_by_role("link", name=posting.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        posting.title if lang == "fr" else f"{posting.title} in French")
    expect(page.get_by_label(tr("Votre adresse e-mail", lang))).to_have_count(0)
    page.get_by_role("button", name=tr("Ça m'intéresse", lang)).click()
    shown = tr("Vous avez signalé votre intérêt pour cette offre le %(date)s.", lang).split("%(date)s")[0].strip()
    expect(page.get_by_role("region", name=tr("Ce poste vous intéresse ?", lang))).to_contain_text(shown)
    journey.step("interest from the posting page")
    assert JobInterest.objects.filter(candidate=candidate, posting=posting).exists()

    # Cancelling a booking: one click opens the confirmation, the second cancels.
    open_menu_link(page, lang, tr("Mon espace", lang))
    page.get_by_text(tr("Annuler ma réservation", lang)).first.click()
    page.get_by_role("button", name=re.compile(re.escape(tr("Oui, annuler", lang)))).click()
    cancelled = tr("Votre réservation est annulée. Merci d'avoir libéré votre place.", lang)
    expect(page.get_by_text(cancelled)).to_be_visible()
    journey.step("booking cancelled after a confirmation")
    assert Registration.objects.get(session=session, candidate=candidate).status == Registration.Status.CANCELLED

    # Signed out, interest goes through an e-mailed link.
    page.context.clear_cookies()
    journey.open(f"/{lang}/offres/{later.slug}/", "posting, signed out")
    sent = len(mail.outbox)
    page.get_by_label(tr("Votre adresse e-mail", lang)).fill(email)
    page.get_by_role("button", name=tr("Je suis intéressé·e", lang)).click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    journey.step("interest link sent")
    journey.open(link_from_email(email, "/offres/interet/", sent), "interest link")
    page.get_by_role("button", name=tr("Oui, je suis intéressé·e", lang)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("Intérêt confirmé", lang))
    journey.step("interest confirmed")
    assert JobInterest.objects.filter(candidate=candidate, posting=later).exists()

    # Later, on another visit: "Mon espace" by an e-mailed link, then the erasure.
    page.context.clear_cookies()
    open_menu_link(page, lang, tr("Mon espace", lang))
    sent = len(mail.outbox)
    page.get_by_label(tr("Votre e-mail", lang)).fill(email)
    page.get_by_role("button", name=tr("Recevoir mon lien", lang)).click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    journey.open(link_from_email(email, "/mon-espace/lien/", sent), "space link")
    expect(page.get_by_text(session_title).first).to_be_visible()
    journey.step("mon espace")
    page.get_by_role("link", name=tr("Effacer mon compte", lang)).click()
    page.get_by_label(tr("Je comprends que mon compte et mes données seront effacés définitivement.", lang)).check()
    page.get_by_role("button", name=tr("Effacer définitivement mon compte", lang)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("Votre compte est effacé", lang))
    journey.step("erased")

    candidate.refresh_from_db()
    assert candidate.anonymised_at is not None
    assert (candidate.first_name, candidate.last_name, str(candidate.phone), candidate.city) == ("", "", "", "")
    assert candidate.email.endswith("@anonymised.invalid")
    assert not Candidate.objects.filter(email=email).exists()
    with pytest.raises(TicketError):
        ticket_verify(code)
