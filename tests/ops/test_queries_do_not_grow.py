"""On a cache miss, the detail pages and the postings list run the same number of queries whatever the data.

The benchmark measures cache hits (no query at all); these tests cover the first visitor after a change.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.models import SessionCompany, SessionPartner
from tescforce import page_cache
from tests import factories

pytestmark = pytest.mark.django_db


def _queries_on_a_miss(client, url: str) -> int:
    client.get(url)  # a visitor's first request does one-off work (session, login stamps)
    cache.clear()
    page_cache.clear_local()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _company_page(client, grow):
    company = factories.CompanyFactory()
    for _ in range(grow):
        factories.JobPostingFactory(company=company)
        factories.UseCaseFactory(sector=factories.SectorFactory(name=f"Secteur {_}", slug=f"secteur-{_}-{grow}")
                                 ).companies.add(company)
    return f"/fr/entreprises/{company.slug}/"


def _job_page(client, grow):
    posting = factories.JobPostingFactory()
    posting.skills_required.add(*[factories.SkillFactory() for _ in range(grow)])
    posting.skills_nice.add(*[factories.SkillFactory() for _ in range(grow)])
    return f"/fr/offres/{posting.slug}/"


def _session_page(client, grow):
    session = factories.SessionFactory()
    for _ in range(grow):
        part = SessionCompany.objects.create(session=session, company=factories.CompanyFactory())
        part.postings.add(factories.JobPostingFactory(company=part.company))
        SessionPartner.objects.create(session=session, partner=factories.PartnerFactory())
        factories.RegistrationFactory(session=session)
    return f"/fr/sessions/{session.pk}/"


def _use_case_page(client, grow):
    use_case = factories.UseCaseFactory(sector=factories.SectorFactory(name=f"Secteur {grow}", slug=f"secteur-{grow}"))
    use_case.companies.add(*[factories.CompanyFactory() for _ in range(grow)])
    for _ in range(grow):
        factories.UseCaseFactory(sector=use_case.sector)
    return f"/fr/showroom/{use_case.slug}/"


@pytest.mark.parametrize("build", [_company_page, _job_page, _session_page, _use_case_page])
def test_detail_pages_queries_do_not_grow(client, build):
    few = _queries_on_a_miss(client, build(client, 2))
    many = _queries_on_a_miss(client, build(client, 12))
    assert few == many
    assert many <= 12


def test_admin_postings_list_queries_do_not_grow(client_for, coordinator):
    client = client_for(coordinator)
    url = "/admin/companies/jobposting/"
    factories.JobPostingFactory.create_batch(3)
    few = _queries_on_a_miss(client, url)
    factories.JobPostingFactory.create_batch(30)
    many = _queries_on_a_miss(client, url)
    assert few == many
    assert many <= 20  # the roles are read once per request, not once per model in the side menu
