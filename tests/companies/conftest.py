import datetime as dt

import pytest
from django.utils import timezone

from candidates.models import Candidate, JobInterest, Orientation
from companies.models import JobPosting
from tests import factories


@pytest.fixture
def skill_python(db):
    return factories.SkillFactory(name="Python (test)", slug="python-test")


@pytest.fixture
def skill_java(db):
    return factories.SkillFactory(name="Java (test)", slug="java-test")


@pytest.fixture
def posting_a(company_a, skill_python):
    posting = factories.JobPostingFactory(company=company_a, title="Développeur Python", slug="dev-python-alpha",
                                          city="Toulouse", open_to_retraining=True, salary_min=35000,
                                          salary_max=42000)
    posting.skills_required.add(skill_python)
    return posting


@pytest.fixture
def posting_b(company_b, skill_java):
    posting = factories.JobPostingFactory(company=company_b, title="Développeuse Java", slug="dev-java-beta",
                                          city="Montpellier", contract=JobPosting.Contract.CDD,
                                          remote=JobPosting.Remote.FULL)
    posting.skills_nice.add(skill_java)
    return posting


@pytest.fixture
def draft_b(company_b):
    return factories.JobPostingFactory(company=company_b, title="Brouillon Bêta", slug="brouillon-beta",
                                       status=JobPosting.Status.DRAFT, published_at=None)


def make_candidate(**kwargs) -> Candidate:
    defaults = {"shown_to_recruiters": True}
    defaults.update(kwargs)
    return factories.CandidateFactory(**defaults)


def make_interest(candidate: Candidate, posting: JobPosting, confirmed: bool = True) -> JobInterest:
    return JobInterest.objects.create(candidate=candidate, posting=posting,
                                      confirmed_at=timezone.now() if confirmed else None)


def make_orientation(candidate: Candidate, posting: JobPosting) -> Orientation:
    return Orientation.objects.create(candidate=candidate, company=posting.company, posting=posting)


def tomorrow() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=1)


def yesterday() -> dt.date:
    return timezone.localdate() - dt.timedelta(days=1)

