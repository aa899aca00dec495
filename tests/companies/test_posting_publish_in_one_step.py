"""A recruiter publishes a new posting in one step ("Publier" on the form) or copies an old one ("Dupliquer")."""

import pytest

from companies.models import JobPosting
from tests import factories

pytestmark = pytest.mark.django_db


def _form(**extra):
    family = factories.JobFamilyFactory()
    return {"title": "Développeuse Django", "job_family": family.pk, "status": "draft",
            "description": "Une équipe produit à Toulouse.", "contract": "cdi", "level": "junior", "openings": 1,
            "city": "Toulouse", "postcode": "31000", "remote": "none", **extra}


def test_publier_saves_and_publishes_at_once(client_for, recruiter_a, company_a):
    client = client_for(recruiter_a)
    page = client.get("/admin/companies/jobposting/add/").content.decode()
    assert 'name="_publish"' in page
    response = client.post("/admin/companies/jobposting/add/", _form(_publish="Publier"))
    posting = JobPosting.objects.get()
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == f"/admin/companies/jobposting/{posting.pk}/change/"
    assert posting.status == JobPosting.Status.PUBLISHED and posting.published_at is not None
    assert posting.company == company_a


def test_plain_save_keeps_a_draft(client_for, recruiter_a):
    client_for(recruiter_a).post("/admin/companies/jobposting/add/", _form(_save="Enregistrer"))
    assert JobPosting.objects.get().status == JobPosting.Status.DRAFT


def test_a_published_posting_offers_no_publier_button(client_for, recruiter_a, company_a):
    posting = factories.JobPostingFactory(company=company_a)
    page = client_for(recruiter_a).get(f"/admin/companies/jobposting/{posting.pk}/change/").content.decode()
    assert 'name="_publish"' not in page


def test_dupliquer_copies_an_old_posting_as_a_draft(client_for, recruiter_a, company_a):
    old = factories.JobPostingFactory(company=company_a, title="Chef·fe de projet")
    client = client_for(recruiter_a)
    assert f'action="/admin/companies/jobposting/{old.pk}/dupliquer/"' in client.get(
        f"/admin/companies/jobposting/{old.pk}/change/").content.decode()
    response = client.post(f"/admin/companies/jobposting/{old.pk}/dupliquer/")
    copy = JobPosting.objects.exclude(pk=old.pk).get()
    assert response["Location"] == f"/admin/companies/jobposting/{copy.pk}/change/"
    assert copy.status == JobPosting.Status.DRAFT and copy.title == old.title and copy.company == company_a


def test_another_companys_posting_cannot_be_duplicated(client_for, recruiter_b, company_a):
    old = factories.JobPostingFactory(company=company_a)
    assert client_for(recruiter_b).post(f"/admin/companies/jobposting/{old.pk}/dupliquer/").status_code == 404
    assert client_for(recruiter_b).get(f"/admin/companies/jobposting/{old.pk}/dupliquer/").status_code == 403
    assert JobPosting.objects.count() == 1
