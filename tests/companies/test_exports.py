"""CSV / XLSX exports follow the same limits as the changelists."""

import csv
import io

import pytest

from candidates.resources import CompanyResource, JobPostingResource

from .conftest import make_candidate, make_interest

pytestmark = pytest.mark.django_db


def export_data(resource, fmt="0", **extra):
    data = {"format": fmt, "resource": "0", **extra}
    for field in resource().get_export_order():
        data[f"{resource.__name__.lower()}_{field}"] = "on"
    return data


def rows(response) -> list[dict]:
    assert response.status_code == 200, response.content.decode()[:500]
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_recruiter_exports_only_own_postings(client_for, recruiter_a, posting_a, posting_b, draft_b):
    client = client_for(recruiter_a)
    exported = rows(client.post("/admin/companies/jobposting/export/", export_data(JobPostingResource)))
    assert [r["id"] for r in exported] == [str(posting_a.pk)]
    picked = client.post("/admin/companies/jobposting/export/",
                         export_data(JobPostingResource, export_items=[posting_b.pk, draft_b.pk]))
    # Ids of another company's postings are refused: the export form comes back, with no file.
    assert picked.status_code == 200
    assert picked["Content-Type"].startswith("text/html")
    assert posting_b.title not in picked.content.decode() and draft_b.title not in picked.content.decode()
    own = client.post("/admin/companies/jobposting/export/",
                      export_data(JobPostingResource, export_items=[posting_a.pk]))
    assert [r["id"] for r in rows(own)] == [str(posting_a.pk)]


def test_recruiter_exports_only_own_company(client_for, recruiter_a, company_a, company_b):
    exported = rows(client_for(recruiter_a).post("/admin/companies/company/export/", export_data(CompanyResource)))
    assert [r["id"] for r in exported] == [str(company_a.pk)]


def test_coordinator_exports_company_figures_as_csv_and_xlsx(client_for, coordinator, posting_a, posting_b):
    make_interest(make_candidate(), posting_a)
    client = client_for(coordinator)
    exported = {r["id"]: r for r in rows(client.post("/admin/companies/company/export/",
                                                      export_data(CompanyResource)))}
    alpha = exported[str(posting_a.company_id)]
    assert (alpha["postes ouverts"], alpha["intéressé·es"], alpha["orienté·es"], alpha["recruté·es"]) == (
        "1", "1", "0", "0")
    xlsx = client.post("/admin/companies/company/export/", export_data(CompanyResource, fmt="1"))
    assert xlsx.status_code == 200
    assert xlsx.content[:2] == b"PK"


def test_filtered_export_keeps_the_filters(client_for, coordinator, posting_a, posting_b):
    exported = rows(client_for(coordinator).post("/admin/companies/jobposting/export/?contract__exact=cdd",
                                                 export_data(JobPostingResource)))
    assert [r["id"] for r in exported] == [str(posting_b.pk)]


def test_prospecting_officer_cannot_export_postings(client_for, prospecting_officer, posting_a):
    response = client_for(prospecting_officer).post("/admin/companies/jobposting/export/",
                                                    export_data(JobPostingResource))
    assert response.status_code == 403
