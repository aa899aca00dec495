"""The demo data set, loaded once for the module: what it holds, its logins, and seeding it again."""

import datetime as dt

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count, Q
from django.utils import timezone
from stdnum.fr import siret

from candidates import wording
from candidates.models import Candidate, Consent, StageChange
from companies.models import Company, JobPosting, Recruiter
from events.models import Registration, Session
from prospecting.models import Meeting, Prospect
from showroom.models import UseCase
from tescforce.site.demo import data

pytestmark = pytest.mark.django_db

APP_LABELS = ("auth", "companies", "candidates", "events", "showroom", "prospecting", "tescforce")


def _counts() -> dict[str, int]:
    counts = {}
    for label in APP_LABELS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            counts[model._meta.label] = model.objects.count()
    return counts


@pytest.fixture
def seeded(demo_data, settings):
    # Loaded once for this module (tests/conftest.py); each test's writes are rolled back after it.
    settings.DEMO_MODE = True
    return demo_data


class _Sink:
    def __init__(self):
        self.text = ""

    def write(self, text):
        self.text += text

    def flush(self):
        pass


def test_seed_demo_twice_changes_no_count(seeded):
    first = _counts()
    out = _Sink()
    call_command("seed_demo", stdout=out)
    assert _counts() == first
    assert first["companies.Company"] >= 40
    assert first["candidates.Candidate"] >= 120
    assert first["companies.JobPosting"] >= 60
    assert first["showroom.UseCase"] >= 40
    assert first["prospecting.Meeting"] >= 55
    assert first["events.Session"] >= 8
    assert "recruteur-alpha" in out.text and data.DEMO_PASSWORD in out.text


def test_every_demo_login_opens_the_admin(seeded, client):
    for spec in data.STAFF_USERS:
        client.logout()
        # Through the login form: the lockout backend needs the request that authenticate() gets there.
        login = client.post("/admin/login/", {"username": spec["username"], "password": data.DEMO_PASSWORD})
        assert login.status_code == 302, spec["username"]
        response = client.get("/admin/")
        assert response.status_code == 200, spec["username"]


def test_demo_recruiters_work_for_different_companies(seeded):
    alpha = Recruiter.objects.get(user__username="recruteur-alpha")
    beta = Recruiter.objects.get(user__username="recruteur-beta")
    assert alpha.company != beta.company
    assert alpha.user.groups.filter(name="Recruteurs").exists()
    # Each demo recruiter has postings and candidates to look at.
    for recruiter in (alpha, beta):
        assert recruiter.company.postings.filter(status="published").exists()
        assert recruiter.company.orientations.filter(candidate__shown_to_recruiters=True).exists()


def test_demo_recruiter_sees_only_their_company_in_the_admin(seeded, client):
    client.force_login(get_user_model().objects.get(username="recruteur-alpha"))
    company = Recruiter.objects.get(user__username="recruteur-alpha").company
    other = JobPosting.objects.exclude(company=company).first()
    response = client.get("/admin/companies/jobposting/")
    assert response.status_code == 200
    shown = response.context["cl"].queryset
    assert shown.exists() and not shown.exclude(company=company).exists()
    assert client.get(f"/admin/companies/jobposting/{other.pk}/change/").status_code in (302, 403, 404)


def _check_demo_companies_are_fictional_with_valid_sirets():
    companies = Company.objects.all()
    assert all(siret.is_valid(c.siret) for c in companies)
    assert all(c.description_fr.startswith(data.DEMO_MARK) and c.description_en for c in companies)
    assert companies.filter(city="Toulouse").exists() and companies.filter(city="Montpellier").exists()
    assert companies.filter(is_member=True).exists()


def _check_the_three_companies_of_the_article_are_settled_in_toulouse():
    for name, country in (("Cognitus", "US"), ("Ubiik", "TW"), ("Wattnow", "TN")):
        prospect = Prospect.objects.get(name=name)
        assert prospect.stage == "settled"
        assert prospect.country.code == country
        assert prospect.settlement.site_city == "Toulouse"
    stages = set(Prospect.objects.values_list("stage", flat=True))
    assert stages == set(Prospect.Stage.values)


def _check_candidates_history_matches_their_stage():
    assert set(Candidate.objects.values_list("stage", flat=True)) == set(Candidate.Stage.values)
    for candidate in Candidate.objects.prefetch_related("stage_changes"):
        changes = list(candidate.stage_changes.all())
        assert changes[0].from_stage == "" and changes[0].to_stage == "registered"
        assert changes[-1].to_stage == candidate.stage
        assert all(a.to_stage == b.from_stage for a, b in zip(changes, changes[1:], strict=False))
        assert all(a.changed_at <= b.changed_at for a, b in zip(changes, changes[1:], strict=False))
        assert candidate.email.endswith(("@example.org", "@example.com"))
    assert not Consent.objects.exclude(kind="matched").exclude(wording_version="2026-01").exists()
    # The match consent: most in the current wording, a few in an older one that no longer counts.
    matched = Consent.objects.filter(kind="matched")
    assert matched.filter(wording_version=wording.MATCHED_VERSION).exists()
    assert matched.exclude(wording_version=wording.MATCHED_VERSION).exists()
    assert not matched.filter(candidate__shown_to_recruiters=False).exists()
    assert Candidate.objects.filter(from_other_region=True, source_campaign__isnull=False).exists()
    assert StageChange.objects.filter(to_stage="hired").count() == Candidate.objects.filter(stage="hired").count()


def _check_sessions_are_never_oversold():
    now = timezone.now()
    sessions = Session.objects.annotate(
        taken=Count("registrations", filter=Q(registrations__status__in=["confirmed", "attended", "no_show"])))
    assert all(s.taken <= s.capacity for s in sessions)
    edition_2 = sessions.filter(edition__number=2)
    assert edition_2.count() == 8
    assert {s.city for s in edition_2} == {"Toulouse", "Montpellier"}
    assert edition_2.filter(starts_at__gt=now).count() >= 5
    assert Registration.objects.filter(status="attended", session__starts_at__lt=now).exists()
    assert Registration.objects.filter(status="waitlisted").exists()
    assert not Registration.objects.filter(status="attended", session__starts_at__gt=now).exists()


def _check_meetings_have_an_outcome_only_once_held():
    now = timezone.now()
    assert not Meeting.objects.filter(starts_at__gt=now).exclude(outcome="").exists()
    assert Meeting.objects.filter(starts_at__gt=now).exists()
    assert Meeting.objects.filter(starts_at__lt=now, outcome="").exists()  # "to complete"
    taipei = Meeting.objects.filter(prospect__name="Ubiik").exclude(timezone="Europe/Paris").first()
    assert str(taipei.timezone) == "Asia/Taipei"


def _check_use_cases_are_bilingual_and_mostly_published():
    assert UseCase.objects.filter(is_published=False).count() == 2
    assert UseCase.objects.filter(is_featured=True).exists()
    for use_case in UseCase.objects.all():
        assert use_case.title_fr and use_case.title_en and use_case.title_fr != use_case.title_en
        assert use_case.summary_en and use_case.body_en and use_case.results_en


def test_seed_demo_resets_a_demo_password_that_was_changed(seeded):
    user = get_user_model().objects.get(username="hotline")
    user.set_password("changed-by-someone-123")
    user.save()
    call_command("seed_demo", stdout=_Sink())
    user.refresh_from_db()
    assert user.check_password(data.DEMO_PASSWORD)


def test_coordinator_sees_targets_and_periodic_tasks_in_the_admin(seeded, client):
    client.force_login(get_user_model().objects.get(username="coordinatrice"))
    response = client.get("/admin/tescforce/yeartarget/")
    assert response.status_code == 200
    assert str(timezone.localdate().year) in response.content.decode()
    assert client.get("/admin/django_celery_beat/periodictask/").status_code == 200
    assert b"django_celery_beat" in client.get("/admin/").content


def test_hotline_and_recruiter_cannot_open_targets_or_periodic_tasks(seeded, client):
    for username in ("hotline", "recruteur-alpha"):
        client.logout()
        client.force_login(get_user_model().objects.get(username=username))
        assert client.get("/admin/tescforce/yeartarget/").status_code == 403
        assert client.get("/admin/django_celery_beat/periodictask/").status_code == 403


def _check_demo_dates_are_relative_to_today():
    today = timezone.localdate()
    edition = apps.get_model("events", "Edition").objects.get(number=2)
    assert edition.year == edition.starts_on.year
    assert edition.starts_on <= today <= edition.ends_on
    recent = timezone.now() - dt.timedelta(days=90)
    assert JobPosting.objects.filter(status="published", published_at__gte=recent).exists()


def test_demo_data_set_is_coherent(seeded):
    # One seeding for all the read-only checks: loading the data set is the slow part.
    _check_demo_companies_are_fictional_with_valid_sirets()
    _check_the_three_companies_of_the_article_are_settled_in_toulouse()
    _check_candidates_history_matches_their_stage()
    _check_sessions_are_never_oversold()
    _check_meetings_have_an_outcome_only_once_held()
    _check_use_cases_are_bilingual_and_mostly_published()
    _check_demo_dates_are_relative_to_today()
