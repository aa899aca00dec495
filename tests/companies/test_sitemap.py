import xml.etree.ElementTree as ET

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.companies.urls_sitemap")]

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def test_sitemap_lists_open_postings_in_both_languages(client, posting_a, posting_b, draft_b, company_a):
    from tests import factories

    closed = factories.JobPostingFactory(company=company_a, status="closed", slug="closed-one")
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 - our own response
    locs = {el.text for el in root.findall("s:url/s:loc", NS)}
    for lang in ("fr", "en"):
        assert f"http://testserver/{lang}/offres/{posting_a.slug}/" in locs
        assert f"http://testserver/{lang}/offres/{posting_b.slug}/" in locs
        assert f"http://testserver/{lang}/entreprises/{company_a.slug}/" in locs
    assert not any(draft_b.slug in loc or closed.slug in loc for loc in locs)
    alternates = root.findall("s:url/x:link", NS)
    assert {a.get("hreflang") for a in alternates} >= {"fr", "en", "x-default"}
