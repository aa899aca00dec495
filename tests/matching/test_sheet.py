"""The recruiter's interview sheet: who may open it (signed in or from a signed link), what it shows, and how a
scorecard is saved (autosave PATCH of some fields, or a plain form POST)."""

import datetime as dt
import json
from html import unescape

import pytest
from django.core import mail, signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from candidates import services as candidate_services
from candidates import space
from candidates.models import Consent
from candidates.tokens import make_token
from matching import agenda as agenda_services
from matching.models import Scorecard, SheetLink
from matching.sheet_links import sheet_link_issue, sheet_link_token
from tests import factories

from .sheet_data import job_dating_day

pytestmark = pytest.mark.django_db


@pytest.fixture
def day(company_a, company_b, recruiter_a, recruiter_b):
    return job_dating_day(company_a, company_b, recruiter_a, recruiter_b)


def sheet_url(day):
    return reverse("staff:matching_sheet", args=[day.session.pk])


def card_url(day, interview):
    return reverse("staff:matching_sheet_scorecard", args=[day.session.pk, interview.pk])


def link_token(day, user):
    return sheet_link_token(sheet_link_issue(agenda=day.agenda, recruiter=user.recruiter))


def patch(client, url, data, **extra):
    return client.patch(url, json.dumps(data), content_type="application/json", HTTP_ACCEPT="application/json",
                        **extra)


# --- what the sheet shows ---------------------------------------------------------------------------

def test_recruiter_sees_their_company_interviews_with_skills_and_cv(client_for, recruiter_a, day):
    response = client_for(recruiter_a).get(sheet_url(day))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Alice Roques" in html and "Bruno Haddad" in html
    assert "Carla Vidal" not in html  # company B's
    assert html.index("Alice Roques") < html.index("Bruno Haddad")  # in time order
    assert ">Python<" in html and ">SQL<" in html
    assert html.index(">Python<") < html.index(">SQL<")  # the skill the posting asks for first
    cv = reverse("staff:matching_sheet_cv", args=[day.session.pk, day.a_alice.pk])
    assert cv in html
    assert reverse("staff:matching_sheet_cv", args=[day.session.pk, day.a_bruno.pk]) not in html  # no CV
    assert response["Cache-Control"] == "no-store"
    download = client_for(recruiter_a).get(cv)
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_an_interview_whose_candidate_withdrew_or_was_erased_leaves_the_sheet(client_for, recruiter_a, day):
    client = client_for(recruiter_a)
    Consent.objects.filter(candidate=day.alice, kind=Consent.Kind.SHOWN_ON_MATCH).update(withdrawn_at=timezone.now())
    html = client.get(sheet_url(day)).content.decode()
    assert "Alice Roques" not in html and "Bruno Haddad" in html
    assert client.get(reverse("staff:matching_sheet_cv", args=[day.session.pk, day.a_alice.pk])).status_code == 404
    assert patch(client, card_url(day, day.a_alice), {"note": "x"}).status_code == 404
    candidate_services.candidate_erase(candidate=day.bruno)
    html = client.get(sheet_url(day)).content.decode()
    assert "Haddad" not in html and "anonymis" not in html


def test_cv_needs_a_consent_that_covers_it(client_for, recruiter_a, day):
    # Alice holds the match consent (it names the CV); with no CV file there is no link.
    day.alice.cv.delete(save=True)
    client = client_for(recruiter_a)
    assert reverse("staff:matching_sheet_cv", args=[day.session.pk, day.a_alice.pk]) not in client.get(
        sheet_url(day)).content.decode()
    assert client.get(reverse("staff:matching_sheet_cv", args=[day.session.pk, day.a_alice.pk])).status_code == 404


def test_desk_and_tools_lead_the_recruiter_to_the_sheet(client_for, recruiter_a, day):
    client = client_for(recruiter_a)
    desk = client.get(reverse("staff:desk")).content.decode()
    assert "Vos entretiens de job dating" in desk and sheet_url(day) in desk
    assert "Alice" not in desk  # counts only on the desk
    listing = client.get(reverse("staff:matching_sheets")).content.decode()
    assert sheet_url(day) in listing and "2 entretiens, 0 fiche remplie" in listing


# --- saving -------------------------------------------------------------------------------------------

def test_autosave_of_one_field_keeps_the_others(client_for, recruiter_a, day):
    client = client_for(recruiter_a)
    url = card_url(day, day.a_alice)
    assert patch(client, url, {"strengths": "Tests, Django", "note": "Disponible en mars"}).status_code == 200
    response = patch(client, url, {"rating": 3})
    assert response.status_code == 200
    assert response.json()["saved"] == ["rating"] and response.json()["message"].startswith("Enregistré à")
    card = Scorecard.objects.get(interview=day.a_alice)
    assert (card.rating, card.strengths, card.note, card.next_step) == (3, "Tests, Django", "Disponible en mars", "")
    assert card.updated_by == recruiter_a
    assert Scorecard.objects.count() == 1
    # The same save again changes nothing and writes no history row.
    rows = card.history.count()
    assert patch(client, url, {"rating": 3}).status_code == 200
    assert card.history.count() == rows
    latest = card.history.latest()
    assert latest.history_user == recruiter_a and latest.rating == 3


def test_plain_form_post_saves_the_whole_card_without_javascript(client_for, recruiter_a, day):
    client = client_for(recruiter_a)
    prefix = f"i{day.a_bruno.pk}"
    response = client.post(card_url(day, day.a_bruno), {
        f"{prefix}-rating": "4", f"{prefix}-strengths": "Très bon en SQL", f"{prefix}-next_step": "second_interview",
        f"{prefix}-note": "Revoir avec le CTO"}, follow=True)
    assert response.redirect_chain[-1][0].endswith(f"{sheet_url(day)}#entretien-{day.a_bruno.pk}")
    assert "Fiche enregistrée : Bruno Haddad." in response.content.decode()
    card = Scorecard.objects.get(interview=day.a_bruno)
    assert (card.rating, card.strengths, card.next_step, card.note) == (4, "Très bon en SQL", "second_interview",
                                                                        "Revoir avec le CTO")


@pytest.mark.parametrize(("language", "words"), [("fr", "Sélectionnez un choix valide"),
                                                  ("en", "Select a valid choice")])
def test_bad_input_is_refused_in_the_users_language_and_changes_nothing(client_for, recruiter_a, day, language,
                                                                         words):
    client = client_for(recruiter_a)
    client.cookies["django_language"] = language
    url = card_url(day, day.a_alice)
    prefix = f"i{day.a_alice.pk}"
    response = client.post(url, {f"{prefix}-rating": "7", f"{prefix}-note": "x"})
    assert response.status_code == 400 and words in response.content.decode()
    bad = patch(client, url, {"rating": 9})
    assert bad.status_code == 400 and words in bad.json()["error"]
    too_long = patch(client, url, {"note": "x" * 2001})
    assert too_long.status_code == 400 and "2000" in too_long.json()["error"]
    for body in ("not json", "[]", "{}", '{"rating": true}', '{"rating": [1]}', '{"owner": "me"}'):
        response = client.patch(url, body, content_type="application/json")
        assert response.status_code == 400, body
    assert not Scorecard.objects.exists()


def test_autosave_needs_the_csrf_token(recruiter_a, day):
    client = Client(enforce_csrf_checks=True)
    client.force_login(recruiter_a)
    page = client.get(sheet_url(day))
    token = page.cookies["csrftoken"].value
    url = card_url(day, day.a_alice)
    assert patch(client, url, {"note": "x"}).status_code == 403
    assert patch(client, url, {"note": "x"}, HTTP_X_CSRFTOKEN=token).status_code == 200


def test_a_cancelled_interview_keeps_its_card(client_for, recruiter_a, day):
    agenda_services.interview_cancel(interview=day.a_alice)
    response = patch(client_for(recruiter_a), card_url(day, day.a_alice), {"note": "x"})
    assert response.status_code == 404
    assert not Scorecard.objects.exists()


# --- who gets nothing ------------------------------------------------------------------------------------

def test_recruiter_of_another_company_can_neither_read_nor_write_by_guessing_ids(client_for, recruiter_a, day):
    client = client_for(recruiter_a)
    other = card_url(day, day.b_carla)
    assert patch(client, other, {"note": "Vu"}).status_code == 404
    assert client.post(other, {f"i{day.b_carla.pk}-note": "Vu"}).status_code == 404
    assert client.get(reverse("staff:matching_sheet_cv", args=[day.session.pk, day.b_alice.pk])).status_code == 404
    assert not Scorecard.objects.exists()
    # A session where the company has no interview has no sheet for them.
    lonely = factories.SessionFactory(format="job_dating")
    assert client.get(reverse("staff:matching_sheet", args=[lonely.pk])).status_code == 404


def test_another_companys_card_stays_unread(client_for, recruiter_a, recruiter_b, day):
    patch(client_for(recruiter_b), card_url(day, day.b_alice), {"note": "Note de Bêta"})
    client = client_for(recruiter_a)
    html = client.get(sheet_url(day)).content.decode()
    assert "Note de Bêta" not in html
    assert patch(client, card_url(day, day.b_alice), {"note": "écrasée"}).status_code == 404
    assert Scorecard.objects.get(interview=day.b_alice).note == "Note de Bêta"


@pytest.mark.parametrize("who", ["hotline_agent", "prospecting_officer", "coordinator"])
def test_other_staff_get_the_403_page(request, client_for, day, who):
    client = client_for(request.getfixturevalue(who))
    assert client.get(sheet_url(day)).status_code == 403
    assert patch(client, card_url(day, day.a_alice), {"note": "x"}).status_code == 403
    assert client.get(reverse("staff:matching_sheets")).status_code == 403
    assert not Scorecard.objects.exists()


def test_anonymous_visitors_and_candidates_are_sent_to_the_login_page(client, day):
    # A candidate signed in to Mon espace (from their e-mailed link) is no staff user: the same as anonymous.
    token = make_token(candidate_public_id=day.alice.public_id, purpose="space")
    entered = client.get(reverse("candidates:space_enter", kwargs={"token": token}), follow=True)
    assert entered.status_code == 200 and space.SESSION_KEY in client.session
    for response in (client.get(sheet_url(day)), patch(client, card_url(day, day.a_alice), {"note": "x"}),
                     client.get(reverse("staff:matching_sheet_cv", args=[day.session.pk, day.a_alice.pk]))):
        assert response.status_code == 302 and "/login/" in response["Location"]
    assert not Scorecard.objects.exists()


# --- the signed link --------------------------------------------------------------------------------------

def test_signed_link_opens_the_recruiters_sheet_without_signing_in(client, recruiter_a, day):
    token = link_token(day, recruiter_a)
    response = client.get(reverse("staff:matching_sheet_link", args=[token]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Alice Roques" in html and "Carla Vidal" not in html
    url = reverse("staff:matching_sheet_link_scorecard", args=[token, day.a_alice.pk])
    assert url in html
    assert patch(client, url, {"rating": 4, "next_step": "offer"}).status_code == 200
    card = Scorecard.objects.get(interview=day.a_alice)
    assert card.updated_by == recruiter_a and card.history.latest().history_user == recruiter_a
    cv = client.get(reverse("staff:matching_sheet_link_cv", args=[token, day.a_alice.pk]))
    assert cv.status_code == 200


def test_signed_link_speaks_the_recruiters_language_until_they_choose(client, recruiter_a, day):
    recruiter_a.recruiter.language = "en"
    recruiter_a.recruiter.save()
    url = reverse("staff:matching_sheet_link", args=[link_token(day, recruiter_a)])
    assert "My interviews" in client.get(url).content.decode()
    client.cookies["django_language"] = "fr"
    assert "Mes entretiens" in client.get(url).content.decode()


def test_a_tampered_link_is_refused_with_a_clear_message(client, recruiter_a, day):
    token = link_token(day, recruiter_a)
    link = SheetLink.objects.get()
    forged = [
        token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb"),
        # Another recruiter's id, or another link's id, in a payload signed without the key.
        signing.dumps({"l": link.pk, "n": link.nonce, "r": link.recruiter_id + 1}, salt="other"),
        "abc",
    ]
    for bad in forged:
        response = client.get(reverse("staff:matching_sheet_link", args=[bad]))
        assert response.status_code == 403
        assert "n'est pas valide" in unescape(response.content.decode())
        assert "Alice" not in response.content.decode()
        refused = patch(client, reverse("staff:matching_sheet_link_scorecard", args=[bad, day.a_alice.pk]),
                        {"note": "x"})
        assert refused.status_code == 403 and refused.json()["reason"] == "invalid"
    assert not Scorecard.objects.exists()


def test_a_link_reaches_only_its_own_companys_interviews(client, recruiter_a, day):
    token = link_token(day, recruiter_a)
    for interview in (day.b_carla, day.b_alice):
        assert patch(client, reverse("staff:matching_sheet_link_scorecard", args=[token, interview.pk]),
                     {"note": "x"}).status_code == 404
        assert client.get(reverse("staff:matching_sheet_link_cv", args=[token, interview.pk])).status_code == 404
    assert not Scorecard.objects.exists()


def test_a_link_expires_after_the_session_day(client, recruiter_a, company_a, company_b, recruiter_b):
    past = job_dating_day(company_a, company_b, recruiter_a, recruiter_b,
                          day=timezone.localdate() - dt.timedelta(days=1))
    token = link_token(past, recruiter_a)
    response = client.get(reverse("staff:matching_sheet_link", args=[token]))
    assert response.status_code == 403
    assert "Ce lien a expiré" in response.content.decode() and "Roques" not in response.content.decode()
    refused = patch(client, reverse("staff:matching_sheet_link_scorecard", args=[token, past.a_alice.pk]),
                    {"note": "x"})
    assert refused.status_code == 403 and refused.json()["reason"] == "expired"
    # Signed in, the sheet of a past job dating stays open.
    client.force_login(recruiter_a)
    assert client.get(reverse("staff:matching_sheet", args=[past.session.pk])).status_code == 200


def test_a_link_issued_again_revokes_the_old_one(client, recruiter_a, day, django_capture_on_commit_callbacks):
    old = link_token(day, recruiter_a)
    with django_capture_on_commit_callbacks(execute=True):
        sent = agenda_services.sheet_links_send(agenda=day.agenda)
    assert sent == 2  # one recruiter per company
    message = next(m for m in mail.outbox if m.to == [recruiter_a.email])
    new = next(part for part in message.body.split() if "/pilotage/job-dating/fiche/" in part)
    response = client.get(reverse("staff:matching_sheet_link", args=[old]))
    assert response.status_code == 403 and "remplacé par un plus récent" in response.content.decode()
    assert client.get("/pilotage/" + new.split("/pilotage/", 1)[1]).status_code == 200


def test_a_disabled_or_moved_recruiter_loses_the_link(client, recruiter_a, company_b, day):
    token = link_token(day, recruiter_a)
    recruiter_a.is_active = False
    recruiter_a.save()
    assert client.get(reverse("staff:matching_sheet_link", args=[token])).status_code == 403
    recruiter_a.is_active = True
    recruiter_a.save()
    recruiter_a.recruiter.company = company_b
    recruiter_a.recruiter.save()
    response = client.get(reverse("staff:matching_sheet_link", args=[token]))
    assert response.status_code == 403 and "Carla" not in response.content.decode()


def test_the_published_agenda_gives_each_recruiter_their_own_link(company_a, company_b, recruiter_a, recruiter_b,
                                                                  django_capture_on_commit_callbacks, client):
    colleague = factories.RecruiterFactory(company=company_a, user__username="recruteur-a2", language="en")
    day = job_dating_day(company_a, company_b, recruiter_a, recruiter_b)
    day.session.company_participations.get(company=company_a).recruiters.add(colleague)
    day.agenda.published_at = None
    day.agenda.save()
    with django_capture_on_commit_callbacks(execute=True):
        agenda_services.agenda_publish(agenda=day.agenda)
    links = {}
    for user in (recruiter_a, colleague.user):
        (message,) = [m for m in mail.outbox if m.to == [user.email]]
        links[user.pk] = next(w for w in message.body.split() if "/pilotage/job-dating/fiche/" in w)
    assert links[recruiter_a.pk] != links[colleague.user.pk]
    english = next(m for m in mail.outbox if m.to == [colleague.user.email])
    assert "interview sheet" in english.body
    path = "/pilotage/" + links[colleague.user.pk].split("/pilotage/", 1)[1]
    assert client.get(path).status_code == 200


def test_the_admin_action_sends_the_links_again(client_for, coordinator, recruiter_a, day,
                                                django_capture_on_commit_callbacks):
    old = link_token(day, recruiter_a)
    client = client_for(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:matching_jobdatingagenda_changelist"), {
            "action": "send_sheet_links", "_selected_action": [day.agenda.pk]}, follow=True)
    assert "2 lien(s) envoyé(s)" in response.content.decode()
    assert [m.to for m in mail.outbox if m.to == [recruiter_a.email]]
    assert Client().get(reverse("staff:matching_sheet_link", args=[old])).status_code == 403


def test_roles_without_the_right_cannot_send_the_links(client_for, recruiter_a, day):
    response = client_for(recruiter_a).post(reverse("admin:matching_jobdatingagenda_changelist"), {
        "action": "send_sheet_links", "_selected_action": [day.agenda.pk]})
    assert response.status_code == 403
    assert not SheetLink.objects.exists() and not mail.outbox


def test_the_language_switch_brings_the_recruiter_back_to_the_sheet(client, recruiter_a, day):
    url = reverse("staff:matching_sheet_link", args=[link_token(day, recruiter_a)])
    page = client.get(url).content.decode()
    assert f'name="next" type="hidden" value="{url}"' in page
    response = client.post("/i18n/setlang/", {"language": "en", "next": url})
    assert response.status_code == 302 and response["Location"] == url
    assert "My interviews" in client.get(url).content.decode()
    # A public page still drops its language prefix, as before.
    assert 'name="next" type="hidden" value="/offres/"' in client.get("/fr/offres/").content.decode()


def test_signed_link_form_post_works_without_javascript(client, recruiter_a, day):
    token = link_token(day, recruiter_a)
    prefix = f"i{day.a_alice.pk}"
    response = client.post(reverse("staff:matching_sheet_link_scorecard", args=[token, day.a_alice.pk]), {
        f"{prefix}-rating": "3", f"{prefix}-next_step": "", f"{prefix}-strengths": "Pose de bonnes questions",
        f"{prefix}-note": ""}, follow=True)
    sheet = reverse("staff:matching_sheet_link", args=[token])
    assert response.redirect_chain[-1][0] == f"{sheet}#entretien-{day.a_alice.pk}"
    assert "Fiche enregistrée : Alice Roques." in response.content.decode()
    card = Scorecard.objects.get(interview=day.a_alice)
    assert (card.rating, card.strengths, card.updated_by) == (3, "Pose de bonnes questions", recruiter_a)


def test_past_job_datings_stay_on_the_list_but_leave_the_desk(client_for, recruiter_a, company_a, company_b,
                                                               recruiter_b):
    past = job_dating_day(company_a, company_b, recruiter_a, recruiter_b,
                          day=timezone.localdate() - dt.timedelta(days=10))
    client = client_for(recruiter_a)
    assert sheet_url(past) not in client.get(reverse("staff:desk")).content.decode()
    assert sheet_url(past) in client.get(reverse("staff:matching_sheets")).content.decode()
    assert sheet_url(past) in client_for(recruiter_b).get(reverse("staff:matching_sheets")).content.decode()
    elsewhere = factories.RecruiterFactory(user__username="recruteur-c").user  # a company with no interview
    listing = client_for(elsewhere).get(reverse("staff:matching_sheets")).content.decode()
    assert "Aucun job dating" in listing and sheet_url(past) not in listing
