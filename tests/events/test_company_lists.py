"""Each company's list of the candidates it will meet at a session: who is on it (consent by consent), who may read
it (a recruiter, their own company's only), its PDF and CSV, and the e-mail that tells recruiters it is ready."""

import csv
import datetime as dt
import html
import io

import pytest
from django.core import mail
from django.utils import timezone

from candidates.models import Consent, JobInterest, Orientation
from events import company_lists, services
from events.errors import BookingError
from events.models import MessageSent, Registration, SessionCompany
from matching.models import Interview, JobDatingAgenda, Match
from tests import factories
from tests.concurrency import run_together
from tests.pdf_text import page_texts

pytestmark = pytest.mark.django_db

LIST = "/pilotage/sessions/{}/listes/{}/"
LISTS = "/pilotage/sessions/{}/listes/"


def _text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def day(company_a, company_b, recruiter_a, recruiter_b):
    """A job dating where company A and company B each have people to meet, for every reason, and people they must
    never see: no consent, an old consent's wording, a cancelled or waitlisted seat, an erased account."""
    session = factories.SessionFactory(title="Job dating Toulouse", capacity=20)
    SessionCompany.objects.create(session=session, company=company_a).recruiters.add(recruiter_a.recruiter)
    SessionCompany.objects.create(session=session, company=company_b)
    offer_a = factories.JobPostingFactory(company=company_a, title="Développeur·se Django")
    offer_b = factories.JobPostingFactory(company=company_b, title="Data analyst")
    agenda = JobDatingAgenda.objects.create(session=session, published_at=timezone.now())

    def person(first, last, *, shown=False, matched=False, old_match=False, seat=True):
        candidate = factories.CandidateFactory(first_name=first, last_name=last, shown_to_recruiters=shown,
                                               email=f"{first.lower()}@example.org", phone="+33611223344")
        if shown:
            factories.give_consent(candidate, Consent.Kind.SHOWN_TO_RECRUITERS)
        if matched or old_match:
            factories.give_consent(candidate, Consent.Kind.SHOWN_ON_MATCH, version="2020-01" if old_match else None)
        if seat:
            services.registration_book(session=session, candidate=candidate)
        return candidate

    def interview(candidate, company, minutes, posting=None):
        start = session.starts_at + dt.timedelta(minutes=minutes)
        return Interview.objects.create(agenda=agenda, company=company, candidate=candidate, posting=posting,
                                        starts_at=start, ends_at=start + dt.timedelta(minutes=15))

    p = {
        "oriented": person("Odile", "Orientée", shown=True),
        "interested": person("Ines", "Intéressée", shown=True),
        "interview": person("Ivan", "Entretien", matched=True),
        "early": person("Eva", "Avant", matched=True),
        "matched_b": person("Mathis", "Rapproché", matched=True),
        "no_consent": person("Nadia", "Sansaccord"),
        "old_consent": person("Victor", "Ancienaccord", old_match=True),
        "cancelled": person("Cyril", "Annulé", shown=True),
        "erased": person("Ernest", "Effacé", shown=True),
        "no_seat": person("Simon", "Sansplace", shown=True, seat=False),
    }
    for key in ("oriented", "no_consent", "cancelled", "erased", "no_seat"):
        Orientation.objects.create(candidate=p[key], company=company_a)
    JobInterest.objects.create(candidate=p["interested"], posting=offer_a, confirmed_at=timezone.now())
    interview(p["interview"], company_a, 30, offer_a)
    interview(p["early"], company_a, 0)
    interview(p["old_consent"], company_a, 45, offer_a)
    Match.objects.create(candidate=p["matched_b"], posting=offer_b, score=72)
    services.registration_cancel(registration=Registration.objects.get(session=session, candidate=p["cancelled"]))
    type(p["erased"]).objects.filter(pk=p["erased"].pk).update(anonymised_at=timezone.now())
    waiting_session = factories.SessionFactory(capacity=1)
    services.registration_book(session=waiting_session, candidate=factories.CandidateFactory())
    return session, p


def _rows(session, company):
    participation = SessionCompany.objects.get(session=session, company=company)
    return [(r.candidate.first_name, r.why) for r in
            company_lists.company_list(session=session, participation=participation).rows]


def test_each_company_s_list_holds_only_the_people_whose_consent_allows_it(day, company_a, company_b):
    session, _p = day
    assert _rows(session, company_a) == [
        ("Eva", "Entretien de job dating"),
        ("Ivan", "Entretien de job dating pour votre offre « Développeur·se Django »"),
        ("Ines", "Intéressé·e par votre offre « Développeur·se Django »"),
        ("Odile", "Orienté·e vers votre entreprise"),
    ]
    assert _rows(session, company_b) == [("Mathis", "Profil correspondant à votre offre « Data analyst »")]


def test_an_agenda_not_published_yet_names_nobody(day, company_a):
    session, _p = day
    JobDatingAgenda.objects.filter(session=session).update(published_at=None)
    assert [name for name, _why in _rows(session, company_a)] == ["Ines", "Odile"]


def test_a_withdrawn_consent_or_a_cancelled_seat_leaves_the_list_at_once(day, company_a):
    session, p = day
    Consent.objects.filter(candidate=p["interview"], kind=Consent.Kind.SHOWN_ON_MATCH).update(
        withdrawn_at=timezone.now())
    type(p["oriented"]).objects.filter(pk=p["oriented"].pk).update(shown_to_recruiters=False)
    services.registration_cancel(registration=Registration.objects.get(session=session, candidate=p["interested"]))
    assert [name for name, _why in _rows(session, company_a)] == ["Eva"]


def test_the_coordinators_pdf_gives_each_company_its_own_pages(day):
    session, _p = day
    lists = company_lists.company_lists(session=session)
    assert [cl.company.name for cl in lists] == ["Alpha Numérique", "Bêta Logiciels"]
    document = company_lists.lists_document(session=session, lists=lists, language="fr")
    first, second = page_texts(document)
    assert "Alpha Numérique" in first and "Bêta Logiciels" not in first
    for name in ("Odile", "Ines", "Ivan", "Eva"):
        assert name in first and name not in second
    assert "Mathis" in second and "Mathis" not in first
    for never in ("Nadia", "Victor", "Cyril", "Ernest", "Simon", "@example.org", "+33", "06 11"):
        assert never not in first + second
    assert "Document confidentiel" in first


# --- who may read what


def test_a_recruiter_reads_their_own_company_s_list_and_downloads_it(client_for, recruiter_a, day, company_a):
    session, _p = day
    client = client_for(recruiter_a)
    page = client.get(LIST.format(session.pk, company_a.pk))
    assert page.status_code == 200
    text = _text(page)
    assert all(name in text for name in ("Odile", "Ines", "Ivan", "Eva"))
    assert all(name not in text for name in ("Mathis", "Nadia", "Victor", "Cyril", "Ernest", "Simon"))
    assert "odile@example.org" not in text and "+33" not in text
    pdf = client.get(LIST.format(session.pk, company_a.pk) + "pdf/")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    sheet = client.get(LIST.format(session.pk, company_a.pk) + "csv/")
    assert sheet["Content-Type"].startswith("text/csv") and sheet.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(sheet.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Nom", "Prénom", "Entretien", "Offre", "Pourquoi", "Profil", "Expérience dans le numérique",
                       "Compétences clés"]
    assert [r[1] for r in rows[1:]] == ["Eva", "Ivan", "Ines", "Odile"]
    start = timezone.localtime(session.starts_at)
    assert [r[2] for r in rows[1:]] == [start.strftime("%H:%M"), (start + dt.timedelta(minutes=30)).strftime("%H:%M"),
                                        "", ""]
    assert rows[2][3] == "Développeur·se Django"
    assert "@" not in sheet.content.decode("utf-8-sig")


@pytest.mark.parametrize("suffix", ["", "pdf/", "csv/"])
def test_a_recruiter_never_opens_another_company_s_list(client_for, recruiter_a, recruiter_b, day, company_a,
                                                        company_b, suffix):
    session, _p = day
    assert client_for(recruiter_a).get(LIST.format(session.pk, company_b.pk) + suffix).status_code == 404
    assert client_for(recruiter_b).get(LIST.format(session.pk, company_a.pk) + suffix).status_code == 404
    assert client_for(recruiter_b).get(LIST.format(session.pk, company_b.pk) + suffix).status_code == 200


def test_recruiters_do_not_open_the_coordinators_pages(client_for, recruiter_a, day):
    session, _p = day
    client = client_for(recruiter_a)
    assert client.get(LISTS.format(session.pk)).status_code == 403
    assert client.get(LISTS.format(session.pk) + "pdf/").status_code == 403
    assert client.post(LISTS.format(session.pk) + "envoyer/").status_code == 403
    assert not MessageSent.objects.filter(kind=MessageSent.Kind.COMPANY_LIST).exists()


@pytest.mark.parametrize("who", ["hotline_agent", "prospecting_officer"])
@pytest.mark.parametrize("url", [LISTS, LISTS + "pdf/", LIST, LIST + "pdf/", LIST + "csv/"])
def test_hotline_and_prospecting_never_see_a_company_s_list(client_for, request, day, company_a, who, url):
    session, _p = day
    response = client_for(request.getfixturevalue(who)).get(url.format(session.pk, company_a.pk))
    assert response.status_code == 403
    assert "Odile" not in _text(response)


def test_anonymous_visitors_are_sent_to_sign_in(client, day, company_a):
    session, _p = day
    for url in (LIST.format(session.pk, company_a.pk) + "csv/", LISTS.format(session.pk)):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_company_that_does_not_attend_the_session_has_no_list(client_for, coordinator, recruiter_a, day,
                                                                company_a):
    session, _p = day
    other = factories.SessionFactory()
    assert client_for(coordinator).get(LIST.format(other.pk, company_a.pk)).status_code == 404
    assert client_for(recruiter_a).get(LIST.format(other.pk, company_a.pk) + "csv/").status_code == 404
    assert client_for(coordinator).get(LIST.format(999999, company_a.pk)).status_code == 404
    assert client_for(coordinator).get(LISTS.format(999999)).status_code == 404


def test_the_coordinator_sees_every_company_s_count_and_downloads_all_lists(client_for, coordinator, day,
                                                                           company_a, company_b):
    session, _p = day
    client = client_for(coordinator)
    page = _text(client.get(LISTS.format(session.pk)))
    assert "Alpha Numérique" in page and "Bêta Logiciels" in page
    assert LIST.format(session.pk, company_b.pk) + "csv/" in page
    assert "Odile" not in page  # counts only on the overview
    everything = client.get(LISTS.format(session.pk) + "pdf/")
    assert everything["Content-Type"] == "application/pdf"
    assert everything["Content-Disposition"] == f'attachment; filename="listes-entreprises-session-{session.pk}.pdf"'
    company_page = _text(client.get(LIST.format(session.pk, company_b.pk)))
    assert "Mathis" in company_page and "Odile" not in company_page


def test_a_company_with_nobody_to_meet_is_told_so_and_gets_no_empty_download(client_for, coordinator, recruiter_a,
                                                                             company_a):
    session = factories.SessionFactory()
    SessionCompany.objects.create(session=session, company=company_a)
    client = client_for(recruiter_a)
    assert "Personne à présenter à votre entreprise pour l'instant" in _text(client.get(
        LIST.format(session.pk, company_a.pk)))
    response = client.get(LIST.format(session.pk, company_a.pk) + "pdf/", follow=True)
    assert response.redirect_chain and "rien à télécharger" in _text(response)
    assert client.get(LIST.format(session.pk, company_a.pk) + "csv/").status_code == 302
    empty = factories.SessionFactory()
    coordinator_client = client_for(coordinator)
    assert "Aucune entreprise n'est inscrite" in _text(coordinator_client.get(LISTS.format(empty.pk)))
    response = coordinator_client.get(LISTS.format(empty.pk) + "pdf/", follow=True)
    assert "Aucune entreprise n'est inscrite" in _text(response)


def test_a_past_session_has_no_list_any_more(client_for, coordinator, recruiter_a, company_a, past_session):
    SessionCompany.objects.create(session=past_session, company=company_a)
    client = client_for(recruiter_a)
    assert "Cette session est terminée" in _text(client.get(LIST.format(past_session.pk, company_a.pk)))
    response = client.get(LIST.format(past_session.pk, company_a.pk) + "csv/", follow=True)
    assert response["Content-Type"].startswith("text/html") and "Cette session est terminée" in _text(response)
    assert "Cette session est terminée" in _text(client_for(coordinator).get(LISTS.format(past_session.pk)))


def test_the_pages_read_in_english(client_for, recruiter_a, day, company_a):
    session, _p = day
    text = _text(client_for(recruiter_a).get(LIST.format(session.pk, company_a.pk), HTTP_ACCEPT_LANGUAGE="en"))
    assert "The candidates Alpha Numérique will meet" in text
    assert "Interested in your offer" in text and "Download (CSV)" in text


def test_the_recruiter_s_desk_links_to_the_list(client_for, recruiter_a, day, company_a, company_b):
    session, _p = day
    desk = _text(client_for(recruiter_a).get("/pilotage/"))
    assert LIST.format(session.pk, company_a.pk) in desk
    assert LIST.format(session.pk, company_b.pk) not in desk


# --- telling recruiters the list is ready


def test_each_recruiter_is_told_once_in_their_language_with_a_link_and_no_name(
        client_for, coordinator, day, company_a, company_b, django_capture_on_commit_callbacks):
    session, _p = day
    english = factories.RecruiterFactory(company=company_b, language="en", user__email="hr.b@example.com")
    client = client_for(coordinator)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(LISTS.format(session.pk) + "envoyer/", follow=True)
    # Company A named who comes; company B named nobody, so all its recruiters are told.
    assert "3 recruteur·euses vont recevoir" in _text(response)
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {"recruteur-a@tescforce.example", "recruteur-b@tescforce.example", "hr.b@example.com"}
    french, sent_en = by_address["recruteur-a@tescforce.example"], by_address["hr.b@example.com"]
    assert french.subject == "Les candidat·es que vous rencontrerez : Job dating Toulouse"
    assert f"/pilotage/sessions/{session.pk}/listes/{company_a.pk}/" in french.body
    assert sent_en.subject.startswith("The candidates you will meet")
    assert f"/pilotage/sessions/{session.pk}/listes/{english.company_id}/" in sent_en.body
    for message in mail.outbox:
        for name in ("Odile", "Ines", "Ivan", "Eva", "Mathis"):
            assert name not in message.body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(LISTS.format(session.pk) + "envoyer/", follow=True)
    assert "Personne de plus à prévenir" in _text(response) and mail.outbox == []
    late = factories.RecruiterFactory(company=company_a, user__email="late@example.org")
    SessionCompany.objects.get(session=session, company=company_a).recruiters.add(late)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.company_lists_announce(session=session) == 1
    assert [m.to for m in mail.outbox] == [["late@example.org"]]
    assert "1 sur" not in _text(client.get(LISTS.format(session.pk)))  # 4 of 4 told now
    assert "4 sur 4 recruteur·euses ont reçu le lien" in _text(client.get(LISTS.format(session.pk)))


def test_no_list_is_sent_for_a_past_session_and_a_get_sends_nothing(client_for, coordinator, past_session, day):
    session, _p = day
    with pytest.raises(BookingError):
        services.company_lists_announce(session=past_session)
    assert client_for(coordinator).get(LISTS.format(session.pk) + "envoyer/").status_code == 405
    response = client_for(coordinator).post(LISTS.format(past_session.pk) + "envoyer/", follow=True)
    assert "terminée ou annulée" in _text(response)
    assert mail.outbox == []


def test_a_notice_whose_session_was_cancelled_before_it_went_is_dropped(day, monkeypatch):
    session, _p = day
    monkeypatch.setattr(services, "_enqueue_message", lambda pk: None)  # recorded, not sent yet
    assert services.company_lists_announce(session=session) == 2
    services.session_cancel(session=session)
    mail.outbox.clear()
    for message in MessageSent.objects.filter(kind=MessageSent.Kind.COMPANY_LIST):
        assert services.message_deliver(message_id=message.pk) is False
        message.refresh_from_db()
        assert message.state == MessageSent.State.DROPPED
    assert mail.outbox == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_coordinators_sending_at_once_tell_each_recruiter_once():
    session = factories.SessionFactory()
    company = factories.CompanyFactory()
    recruiters = [factories.RecruiterFactory(company=company, user__email=f"rh{i}@example.org") for i in range(3)]
    SessionCompany.objects.create(session=session, company=company).recruiters.add(*recruiters)

    results = run_together(lambda: services.company_lists_announce(session=session), times=2)

    assert sum(results) == 3
    assert MessageSent.objects.filter(kind=MessageSent.Kind.COMPANY_LIST).count() == 3
    assert sorted(m.to[0] for m in mail.outbox) == ["rh0@example.org", "rh1@example.org", "rh2@example.org"]
