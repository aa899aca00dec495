""""Offres pour vous" and the job-dating interviews in Mon espace: the signed-in candidate's own, with
reasons in their language, one-click interest, and nothing for anyone else or without the match consent."""

import datetime as dt
import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from candidates import services as candidates_services
from candidates import tokens
from candidates.models import Consent, JobInterest
from companies.models import JobFamily, JobPosting, Skill
from matching import agenda, selectors
from matching import services as matching_services
from matching.models import Interview, JobDatingAgenda, Match
from tests import factories

pytestmark = pytest.mark.django_db


def sign_in(client, candidate):
    token = tokens.make_token(candidate_public_id=str(candidate.public_id), purpose="space")
    assert client.get(f"/fr/mon-espace/lien/{token}/").status_code == 302
    return client


def skill(name):
    return factories.SkillFactory(name=name, slug=name.lower(), category=Skill.Category.LANGUAGE)


@pytest.fixture
def world(db):
    python, sql, docker, kubernetes, terraform = (skill(n) for n in ("Python", "SQL", "Docker", "Kubernetes",
                                                                      "Terraform"))
    family = JobFamily.objects.get_or_create(code="M1805", defaults={"label": "Études et développement"})[0]
    person = factories.CandidateFactory(first_name="Inès", city="Toulouse", mobility_toulouse=True)
    person.skills.set([python, sql, docker])
    person.desired_job_families.set([family])
    factories.give_consent(person)
    company = factories.CompanyFactory(name="Garonne Data")
    best = factories.JobPostingFactory(title="Développeuse back-end", city="Toulouse", company=company,
                                       job_family=family, open_to_retraining=True)
    best.skills_required.set([python, sql, docker, kubernetes])
    best.skills_nice.set([terraform])
    draft = factories.JobPostingFactory(title="Offre en brouillon", status=JobPosting.Status.DRAFT, job_family=family)
    closing = factories.JobPostingFactory(title="Offre bientôt close", city="Toulouse", job_family=family)
    withdrawn = factories.JobPostingFactory(title="Offre retirée", city="Toulouse", job_family=family)
    for posting in (draft, closing, withdrawn):
        posting.skills_required.set([python, sql])
    other = factories.CandidateFactory(first_name="Paul", city="Montpellier", mobility_montpellier=True)
    factories.give_consent(other)
    matching_services.matches_recompute_all()
    # Changed behind the engine's back (no recompute): the page must still leave them out.
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    JobPosting.objects.filter(pk=closing.pk).update(closes_on=yesterday,
                                                    published_at=timezone.now() - dt.timedelta(days=9))
    JobPosting.objects.filter(pk=withdrawn.pk).update(status=JobPosting.Status.CLOSED)
    return {"person": person, "other": other, "best": best, "draft": draft, "closing": closing,
            "withdrawn": withdrawn}


def space_page(client, lang="fr"):
    response = client.get(f"/{lang}/mon-espace/accueil/")
    assert response.status_code == 200
    return html.unescape(html.unescape(response.content.decode()))


@pytest.mark.parametrize(("lang", "expected"), [
    ("fr", ["Offres pour vous", "3 de vos compétences sur 4 demandées, dont Docker et Python",
            "Toulouse, votre ville", "À apprendre :</strong> Kubernetes", "Terraform",
            "jamais d'après votre genre, votre âge, votre origine ou votre nom", "Ça m'intéresse"]),
    ("en", ["Jobs for you", "3 of the 4 skills asked for are yours, including Docker and Python",
            "Toulouse, your city", "To learn:</strong> Kubernetes", "Terraform",
            "never on your gender, age, origin or name", "I'm interested"]),
])
def test_signed_in_candidate_sees_their_offers_with_reasons_in_their_language(client, world, lang, expected):
    body = space_page(sign_in(client, world["person"]), lang)
    for text in expected:
        assert text in body, text
    assert world["best"].title in body


def test_unpublished_and_closed_postings_are_never_offered(client, world):
    body = space_page(sign_in(client, world["person"]))
    assert world["best"].title in body
    for key in ("draft", "closing", "withdrawn"):
        assert world[key].title not in body, key


@pytest.mark.parametrize("state", ["never", "withdrawn", "older text"])
def test_without_the_match_consent_nothing_computed_is_shown(client, world, state):
    person = world["person"]
    Consent.objects.filter(candidate=person).delete()
    if state == "withdrawn":
        factories.give_consent(person).__class__.objects.filter(candidate=person).update(withdrawn_at=timezone.now())
    elif state == "older text":
        factories.give_consent(person, version="2020-01")
    body = space_page(sign_in(client, person))
    assert "il nous faut votre accord au rapprochement automatique" in body
    assert 'href="#matched-title"' in body and 'id="matched-title"' in body
    assert world["best"].title not in body and "Pourquoi cette offre" not in body


def test_giving_the_consent_from_mon_espace_brings_the_offers(client, world):
    person = world["person"]
    Consent.objects.filter(candidate=person).delete()
    client = sign_in(client, person)
    assert world["best"].title not in space_page(client)
    client.post(reverse("candidates:space_consents"), {"matched": "give"})
    assert world["best"].title in space_page(client)


def test_another_candidate_never_sees_someone_elses_offers(client, world):
    body = space_page(sign_in(client, world["other"]))
    assert world["best"].title not in body
    assert "Aucune offre ouverte ne correspond à votre profil pour l'instant." in body


def test_anonymous_visitors_and_staff_get_no_offers(client, client_for, coordinator, world):
    assert client.get("/fr/mon-espace/accueil/")["Location"] == reverse("candidates:space_request")
    staff = client_for(coordinator).get("/fr/mon-espace/accueil/")
    assert staff.status_code == 302 and staff["Location"] == reverse("candidates:space_request")


def test_the_offers_section_costs_the_same_queries_however_many_offers(client, world):
    client = sign_in(client, world["person"])
    space_page(client)  # warm the session and caches
    with CaptureQueriesContext(connection) as few:
        space_page(client)
    family = world["best"].job_family
    python = Skill.objects.get(slug="python")
    for n in range(6):
        posting = factories.JobPostingFactory(title=f"Offre {n}", city="Toulouse", job_family=family,
                                              company=factories.CompanyFactory())
        posting.skills_required.set([python, Skill.objects.get(slug="kubernetes")])
        posting.skills_nice.set([Skill.objects.get(slug="terraform")])
    matching_services.matches_recompute_all()
    JobInterest.objects.create(candidate=world["person"], posting=world["best"], confirmed_at=timezone.now())
    with CaptureQueriesContext(connection) as many:
        body = space_page(client)
    assert body.count("Pourquoi cette offre") == selectors.SPACE_OFFERS == 6
    assert len(many.captured_queries) == len(few.captured_queries), [q["sql"] for q in many.captured_queries]


def test_confirming_the_email_scores_the_person_at_once(django_capture_on_commit_callbacks):
    # Confirmation is a conditional UPDATE (no post_save): a hook tells matching, so the offers are
    # there when Mon espace opens, not after the nightly recompute.
    posting = factories.JobPostingFactory(city="Toulouse")
    person = factories.CandidateFactory(confirmed_at=None, city="Toulouse", mobility_toulouse=True)
    matching_services.matches_recompute_all()
    assert not Match.objects.filter(candidate=person).exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert candidates_services.candidate_confirm(candidate=person)
    assert Match.objects.filter(candidate=person, posting=posting).exists()


# --- one click "ça m'intéresse" --------------------------------------------------------------------

def test_one_click_interest_from_mon_espace_records_it_at_once(client, world):
    client = sign_in(client, world["person"])
    url = reverse("candidates:space_interest", args=[world["best"].slug])
    assert client.get(url).status_code == 405
    response = client.post(url, {"next": reverse("candidates:space_home") + "#offres"})
    assert response.status_code == 302 and response["Location"] == "/fr/mon-espace/accueil/#offres"
    interest = JobInterest.objects.get(candidate=world["person"], posting=world["best"])
    assert interest.confirmed_at is not None
    body = space_page(client)
    assert "Votre intérêt pour l'offre « Développeuse back-end » (Garonne Data) est transmis." in body
    assert "Vous avez signalé votre intérêt" in body
    client.post(url)
    assert JobInterest.objects.filter(candidate=world["person"]).count() == 1


def test_one_click_interest_on_the_posting_page(client, world):
    posting = world["best"]
    anonymous = html.unescape(client.get(posting.get_absolute_url()).content.decode())
    assert 'name="email"' in anonymous
    assert reverse("candidates:space_interest", args=[posting.slug]) not in anonymous
    client = sign_in(client, world["person"])
    page = html.unescape(client.get(posting.get_absolute_url()).content.decode())
    assert reverse("candidates:space_interest", args=[posting.slug]) in page
    assert 'name="email"' not in page and "un clic suffit" in page and "Inès" in page
    response = client.post(reverse("candidates:space_interest", args=[posting.slug]), follow=True)
    assert response.redirect_chain[-1][0] == posting.get_absolute_url()
    body = html.unescape(response.content.decode())
    assert "est transmis" in body and "Vous avez signalé votre intérêt pour cette offre le" in body
    assert JobInterest.objects.filter(candidate=world["person"], posting=posting).count() == 1
    english = html.unescape(client.get(f"/en/offres/{posting.slug}/").content.decode())
    assert "You showed interest in this job on" in english


def test_one_click_interest_needs_a_mon_espace_session(client, client_for, coordinator, world):
    url = reverse("candidates:space_interest", args=[world["best"].slug])
    response = client.post(url, follow=True)
    assert "Votre session « Mon espace » a pris fin" in html.unescape(response.content.decode())
    client_for(coordinator).post(url)
    assert not JobInterest.objects.exists()


def test_one_click_interest_on_a_closed_posting_is_refused(client, world):
    client = sign_in(client, world["person"])
    response = client.post(reverse("candidates:space_interest", args=[world["closing"].slug]), follow=True)
    assert "Cette offre n'est plus ouverte." in html.unescape(response.content.decode())
    assert client.post(reverse("candidates:space_interest", args=[world["draft"].slug])).status_code == 404
    assert not JobInterest.objects.exists()


def test_one_click_interest_never_sends_the_person_to_another_site(client, world):
    client = sign_in(client, world["person"])
    response = client.post(reverse("candidates:space_interest", args=[world["best"].slug]),
                           {"next": "https://evil.example/"})
    assert response["Location"] == world["best"].get_absolute_url()


# --- job-dating interviews ---------------------------------------------------------------------------

@pytest.fixture
def interviews(world):
    start = timezone.now().replace(second=0, microsecond=0) + dt.timedelta(days=5)
    session = factories.SessionFactory(title="Job dating Labège", starts_at=start,
                                       ends_at=start + dt.timedelta(hours=2))
    published = JobDatingAgenda.objects.create(session=session, published_at=timezone.now())
    company = world["best"].company
    rival = factories.CompanyFactory(name="Canal Cloud")
    mine = [Interview.objects.create(agenda=published, company=k, candidate=world["person"], posting=p,
                                     starts_at=start + dt.timedelta(minutes=15 * i),
                                     ends_at=start + dt.timedelta(minutes=15 * (i + 1)))
            for i, (k, p) in enumerate(((company, world["best"]), (rival, None)))]
    theirs = Interview.objects.create(agenda=published, company=rival, candidate=world["other"],
                                      starts_at=start, ends_at=start + dt.timedelta(minutes=15))
    draft_session = factories.SessionFactory(title="Job dating pas encore publié")
    draft = JobDatingAgenda.objects.create(session=draft_session)
    Interview.objects.create(agenda=draft, company=rival, candidate=world["person"],
                             starts_at=draft_session.starts_at,
                             ends_at=draft_session.starts_at + dt.timedelta(minutes=15))
    return {"published": published, "draft": draft, "mine": mine, "theirs": theirs}


def test_interviews_of_a_published_agenda_appear_in_mon_espace_with_their_ics(client, world, interviews):
    body = space_page(sign_in(client, world["person"]))
    assert "Mes entretiens de job dating" in body and "Job dating Labège" in body
    assert "entretien avec Garonne Data" in body and "entretien avec Canal Cloud" in body
    assert "Job dating pas encore publié" not in body
    url = reverse("matching:space_interviews_ics", args=[interviews["published"].pk])
    assert url in body
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Cache-Control"] == "private, no-store"
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert sorted(str(e["uid"]) for e in events) == sorted(agenda.interview_uid(i) for i in interviews["mine"])
    assert {str(e["summary"]) for e in events} == {"Entretien : Garonne Data", "Entretien : Canal Cloud"}


def test_an_unpublished_agenda_gives_no_ics(client, world, interviews):
    client = sign_in(client, world["person"])
    assert client.get(reverse("matching:space_interviews_ics", args=[interviews["draft"].pk])).status_code == 404


def test_another_candidate_cannot_fetch_someone_elses_interviews(client, world, interviews):
    client = sign_in(client, world["other"])
    url = reverse("matching:space_interviews_ics", args=[interviews["published"].pk])
    response = client.get(url)
    assert response.status_code == 200
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert [str(e["uid"]) for e in events] == [agenda.interview_uid(interviews["theirs"])]
    assert "Garonne Data" not in html.unescape(response.content.decode())
    body = space_page(client)
    assert "Garonne Data" not in body
    Interview.objects.filter(pk=interviews["theirs"].pk).delete()
    assert client.get(url).status_code == 404


def test_anonymous_visitors_and_staff_cannot_fetch_interviews(client, client_for, coordinator, world, interviews):
    url = reverse("matching:space_interviews_ics", args=[interviews["published"].pk])
    for visitor in (client, client_for(coordinator)):
        response = visitor.get(url)
        assert response.status_code == 302 and response["Location"] == reverse("candidates:space_request")


def test_interviews_leave_mon_espace_with_the_match_consent(client, world, interviews):
    client = sign_in(client, world["person"])
    client.post(reverse("candidates:space_consents"), {"matched": "withdraw"})
    body = space_page(client)
    assert "Mes entretiens de job dating" not in body
    assert client.get(reverse("matching:space_interviews_ics", args=[interviews["published"].pk])).status_code == 404
