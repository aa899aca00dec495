"""A recruiter meets only their own company's objects, whatever path they take in the admin."""

import pytest

from companies.models import Company, JobPosting

from .conftest import make_candidate, make_interest

pytestmark = pytest.mark.django_db

MISSING = "/admin/"  # the admin sends an unknown or hidden object's URL back to its index


def _ids(response) -> set[str]:
    return {row["id"] for row in response.json()["results"]}


def test_recruiter_changelist_shows_only_own_postings(client_for, recruiter_a, posting_a, posting_b):
    response = client_for(recruiter_a).get("/admin/companies/jobposting/")
    assert response.status_code == 200
    body = response.content.decode()
    assert posting_a.title in body
    assert posting_b.title not in body
    assert "Bêta Logiciels" not in body  # no company filter listing other companies


def test_recruiter_company_changelist_shows_only_own_company(client_for, recruiter_a, company_a, company_b):
    response = client_for(recruiter_a).get("/admin/companies/company/")
    assert response.status_code == 200
    assert company_a.name in response.content.decode()
    assert company_b.name not in response.content.decode()


@pytest.mark.parametrize("suffix", ["change/", "history/", "delete/", "shortlist/"])
def test_recruiter_cannot_open_other_company_posting_by_id(client_for, recruiter_a, posting_b, suffix):
    response = client_for(recruiter_a).get(f"/admin/companies/jobposting/{posting_b.pk}/{suffix}")
    assert response.status_code in (302, 404)
    if response.status_code == 302:
        assert response["Location"] == MISSING
    JobPosting.objects.get(pk=posting_b.pk)  # still there


def test_recruiter_can_open_own_posting(client_for, recruiter_a, posting_a):
    client = client_for(recruiter_a)
    assert client.get(f"/admin/companies/jobposting/{posting_a.pk}/change/").status_code == 200
    assert client.get(f"/admin/companies/jobposting/{posting_a.pk}/shortlist/").status_code == 200


@pytest.mark.parametrize("suffix", ["change/", "history/"])
def test_recruiter_cannot_open_other_company_by_id(client_for, recruiter_a, company_b, suffix):
    response = client_for(recruiter_a).get(f"/admin/companies/company/{company_b.pk}/{suffix}")
    assert response.status_code == 302
    assert response["Location"] == MISSING


def test_recruiter_cannot_post_changes_to_other_company(client_for, recruiter_a, company_b):
    response = client_for(recruiter_a).post(f"/admin/companies/company/{company_b.pk}/change/",
                                            {"name": "Piraté", "kind": "esn", "city": "Nice"})
    assert response.status_code == 302
    company_b.refresh_from_db()
    assert company_b.name == "Bêta Logiciels"


@pytest.mark.parametrize("field", ["company"])
def test_company_autocomplete_is_scoped(client_for, recruiter_a, coordinator, company_a, company_b, field):
    url = f"/admin/autocomplete/?app_label=companies&model_name=jobposting&field_name={field}&term="
    assert _ids(client_for(recruiter_a).get(url)) == {str(company_a.pk)}
    assert {str(company_a.pk), str(company_b.pk)} <= _ids(client_for(coordinator).get(url))


def test_recruiter_company_autocomplete_from_recruiter_admin_is_scoped(client_for, recruiter_a, company_a,
                                                                       company_b):
    url = "/admin/autocomplete/?app_label=companies&model_name=recruiter&field_name=company&term=a"
    response = client_for(recruiter_a).get(url)
    # Recruiters may view colleagues but never list another company.
    assert response.status_code in (200, 403)
    if response.status_code == 200:
        assert str(company_b.pk) not in _ids(response)


def test_skill_autocomplete_works_for_recruiter(client_for, recruiter_a, skill_python):
    url = "/admin/autocomplete/?app_label=companies&model_name=jobposting&field_name=skills_required&term=Python"
    assert str(skill_python.pk) in _ids(client_for(recruiter_a).get(url))


@pytest.mark.parametrize("model", ["jobposting", "company"])
def test_raw_id_popup_is_scoped(client_for, recruiter_a, posting_a, posting_b, model):
    response = client_for(recruiter_a).get(f"/admin/companies/{model}/?_to_field=id&_popup=1")
    assert response.status_code == 200
    body = response.content.decode()
    hidden = posting_b.title if model == "jobposting" else posting_b.company.name
    assert hidden not in body


def test_duplicate_action_ignores_other_company_posting(client_for, recruiter_a, posting_a, posting_b):
    before = JobPosting.objects.count()
    client_for(recruiter_a).post("/admin/companies/jobposting/", {
        "action": "duplicate", "_selected_action": [posting_b.pk], "index": 0})
    assert JobPosting.objects.count() == before
    assert not JobPosting.objects.filter(company=posting_b.company, status="draft").exists()


def test_publish_action_ignores_other_company_posting(client_for, recruiter_a, draft_b):
    client_for(recruiter_a).post("/admin/companies/jobposting/", {
        "action": "publish", "_selected_action": [draft_b.pk], "index": 0})
    draft_b.refresh_from_db()
    assert draft_b.status == JobPosting.Status.DRAFT


def test_recruiter_posting_is_forced_to_own_company(client_for, recruiter_a, company_a, company_b):
    from tests.factories import JobFamilyFactory

    family = JobFamilyFactory()
    response = client_for(recruiter_a).post("/admin/companies/jobposting/add/", {
        "company": company_b.pk, "title": "Intégrateur web", "job_family": family.pk,
        "status": "draft", "description": "Du HTML et du CSS.", "contract": "cdi", "level": "junior",
        "openings": 1, "city": "Albi", "remote": "partial",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    posting = JobPosting.objects.get(title="Intégrateur web")
    assert posting.company == company_a


def test_recruiter_add_form_offers_only_own_company(client_for, recruiter_a, company_a, company_b):
    body = client_for(recruiter_a).get("/admin/companies/jobposting/add/").content.decode()
    assert company_a.name in body
    assert company_b.name not in body


def test_recruiter_cannot_add_or_delete_companies(client_for, recruiter_a, company_a):
    client = client_for(recruiter_a)
    assert client.get("/admin/companies/company/add/").status_code == 403
    assert client.get(f"/admin/companies/company/{company_a.pk}/delete/").status_code == 403
    assert Company.objects.filter(pk=company_a.pk).exists()


@pytest.mark.parametrize("model", ["partner"])
def test_recruiter_cannot_open_partners(client_for, recruiter_a, model):
    assert client_for(recruiter_a).get(f"/admin/companies/{model}/").status_code == 403


def test_recruiter_sees_only_own_colleagues(client_for, recruiter_a, recruiter_b):
    body = client_for(recruiter_a).get("/admin/companies/recruiter/").content.decode()
    assert "recruteur-a" in body or "Alpha" in body
    assert "Bêta" not in body


def test_recruiter_without_profile_sees_nothing(client_for, posting_a):
    from tests.factories import UserFactory

    orphan = UserFactory(username="orphelin", groups=["Recruteurs"])
    client = client_for(orphan)
    body = client.get("/admin/companies/jobposting/").content.decode()
    assert posting_a.title not in body
    assert client.get("/admin/companies/jobposting/add/").status_code == 403


def test_coordinator_sees_every_company_with_figures(client_for, coordinator, posting_a, posting_b):
    candidate = make_candidate()
    make_interest(candidate, posting_a)
    response = client_for(coordinator).get("/admin/companies/company/?o=7")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Alpha Numérique" in body and "Bêta Logiciels" in body
    alpha = response.context["cl"].result_list.get(pk=posting_a.company_id)
    assert (alpha.fig_openings, alpha.fig_interested, alpha.fig_oriented, alpha.fig_hired) == (1, 1, 0, 0)


def test_coordinator_sees_every_posting(client_for, coordinator, posting_a, posting_b):
    body = client_for(coordinator).get("/admin/companies/jobposting/").content.decode()
    assert posting_a.title in body and posting_b.title in body


def test_hotline_cannot_open_shortlist(client_for, hotline_agent, posting_a):
    response = client_for(hotline_agent).get(f"/admin/companies/jobposting/{posting_a.pk}/shortlist/")
    assert response.status_code == 403


def test_recruiter_cannot_take_over_another_company_site_through_the_inline(client_for, recruiter_a, company_a,
                                                                             company_b):
    from companies.models import CompanySite

    site_b = CompanySite.objects.create(company=company_b, city="Sète")
    response = client_for(recruiter_a).post(f"/admin/companies/company/{company_a.pk}/change/", {
        "name": company_a.name, "kind": "esn", "city": "Toulouse", "siret": "", "size": "", "website": "",
        "postcode": "", "description_fr": "", "description_en": "",
        "sites-TOTAL_FORMS": 1, "sites-INITIAL_FORMS": 1, "sites-MIN_NUM_FORMS": 0, "sites-MAX_NUM_FORMS": 1000,
        "sites-0-id": site_b.pk, "sites-0-company": company_a.pk, "sites-0-city": "Albi",
    })
    assert response.status_code in (200, 302)
    site_b.refresh_from_db()
    assert (site_b.company, site_b.city) == (company_b, "Sète")


def test_recruiter_adds_a_site_to_own_company(client_for, recruiter_a, company_a):
    response = client_for(recruiter_a).post(f"/admin/companies/company/{company_a.pk}/change/", {
        "name": company_a.name, "kind": "esn", "city": "Toulouse", "siret": "", "size": "", "website": "",
        "postcode": "", "description_fr": "Éditeur.", "description_en": "Publisher.",
        "sites-TOTAL_FORMS": 1, "sites-INITIAL_FORMS": 0, "sites-MIN_NUM_FORMS": 0, "sites-MAX_NUM_FORMS": 1000,
        "sites-0-city": "Montpellier",
    })
    assert response.status_code == 302
    assert company_a.sites.get().city == "Montpellier"


@pytest.mark.parametrize("path", [
    "/admin/companies/company/", "/admin/companies/company/add/", "/admin/companies/jobposting/",
    "/admin/companies/jobposting/add/", "/admin/companies/recruiter/", "/admin/companies/partner/",
    "/admin/companies/partner/add/", "/admin/companies/skill/", "/admin/companies/skill/add/",
    "/admin/companies/jobfamily/", "/admin/companies/jobposting/export/", "/admin/companies/company/export/",
    "/admin/companies/jobposting/?q=Python&status__exact=published",
])
def test_every_companies_admin_page_opens_for_coordinators(client_for, coordinator, posting_a, path):
    assert client_for(coordinator).get(path).status_code == 200


def test_coordinator_opens_a_posting_and_a_company(client_for, coordinator, posting_a):
    client = client_for(coordinator)
    assert client.get(f"/admin/companies/jobposting/{posting_a.pk}/change/").status_code == 200
    assert client.get(f"/admin/companies/company/{posting_a.company_id}/change/").status_code == 200
    assert client.get(f"/admin/companies/jobposting/{posting_a.pk}/history/").status_code == 200


def test_coordinator_filters_postings_by_company_without_listing_every_company(
        client_for, coordinator, posting_a, posting_b):
    client = client_for(coordinator)
    body = client.get("/admin/companies/jobposting/").content.decode()
    assert posting_a.title in body and posting_b.title in body
    assert f"?company={posting_b.company_id}" not in body  # companies are not all listed in the sidebar

    filtered = client.get(f"/admin/companies/jobposting/?company={posting_a.company_id}")
    assert filtered.status_code == 200
    body = filtered.content.decode()
    assert posting_a.title in body
    assert posting_b.title not in body
    assert posting_a.company.name in body  # the chosen company is named in the filter

    assert client.get("/admin/companies/jobposting/?company=abc").status_code == 200


def test_recruiter_cannot_use_the_company_filter_to_reach_another_company(client_for, recruiter_a, posting_b):
    response = client_for(recruiter_a).get(f"/admin/companies/jobposting/?company={posting_b.company_id}")
    assert posting_b.title not in response.content.decode()
