"""An ended posting: its page stays (noindex, out of the sitemap) for POSTING_GONE_AFTER_DAYS, then answers
410 Gone in the site's layout, with open postings of the same job and a way back to the board."""

import datetime as dt

import pytest
from django.utils import timezone

from companies.models import JobPosting
from companies.services import job_posting_set_status
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def ended(settings):
    settings.POSTING_GONE_AFTER_DAYS = 60
    family = factories.JobFamilyFactory()
    posting = factories.JobPostingFactory(title="Analyste SOC", slug="analyste-soc", job_family=family,
                                          status=JobPosting.Status.CLOSED)
    similar = factories.JobPostingFactory(title="Analyste cybersécurité", title_en="Cybersecurity analyst",
                                          job_family=family)
    other_job = factories.JobPostingFactory(title="Formateur", job_family=factories.JobFamilyFactory(code="K2111"))
    return posting, similar, other_job


def _ended_days_ago(posting, days: int) -> None:
    JobPosting.objects.filter(pk=posting.pk).update(ended_at=timezone.now() - dt.timedelta(days=days))


def test_recently_ended_posting_keeps_its_page_but_asks_not_to_be_indexed(client, ended):
    posting, _similar, _other = ended
    _ended_days_ago(posting, 10)
    response = client.get("/fr/offres/analyste-soc/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<meta name="robots" content="noindex">' in html and "Ce poste vous intéresse" not in html


def test_posting_ended_long_ago_answers_gone_with_similar_open_jobs(client, ended):
    posting, similar, other_job = ended
    _ended_days_ago(posting, 62)  # more than 60 days whatever the hour and the summer time
    response = client.get("/fr/offres/analyste-soc/")
    assert response.status_code == 410
    html = response.content.decode()
    assert '<meta name="robots" content="noindex">' in html and '<nav' in html  # the site's layout
    assert "« Analyste SOC » chez" in html and "n'est plus proposée" in html
    assert similar.get_absolute_url() in html and other_job.get_absolute_url() not in html
    assert f"/fr/offres/?job_family={posting.job_family_id}" in html
    english = client.get("/en/offres/analyste-soc/")
    assert english.status_code == 410
    text = english.content.decode()
    assert "is no longer open" in text and "Cybersecurity analyst" in text


def test_published_posting_whose_closing_date_passed_long_ago_is_gone(client, settings):
    settings.POSTING_GONE_AFTER_DAYS = 30
    factories.JobPostingFactory(slug="expiree", closes_on=timezone.localdate() - dt.timedelta(days=31))
    assert client.get("/fr/offres/expiree/").status_code == 410
    factories.JobPostingFactory(slug="expiree-hier", closes_on=timezone.localdate() - dt.timedelta(days=1))
    assert client.get("/fr/offres/expiree-hier/").status_code == 200


def test_open_and_draft_postings_are_not_affected(client, settings):
    settings.POSTING_GONE_AFTER_DAYS = 0
    factories.JobPostingFactory(slug="ouverte")
    factories.JobPostingFactory(slug="brouillon", status=JobPosting.Status.DRAFT)
    assert client.get("/fr/offres/ouverte/").status_code == 200
    assert client.get("/fr/offres/brouillon/").status_code == 404


def test_filling_or_closing_a_posting_dates_its_end(coordinator):
    posting = factories.JobPostingFactory()
    assert posting.ended_at is None and posting.ended_on() is None
    job_posting_set_status(posting=posting, status=JobPosting.Status.FILLED, by=coordinator)
    posting.refresh_from_db()
    assert posting.ended_at is not None and posting.ended_on() == timezone.localdate()
    assert not posting.is_gone(after_days=0)
