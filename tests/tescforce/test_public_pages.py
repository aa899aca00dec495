"""Error pages, robots.txt, the favicon, the sitemap and the admin's name, as a visitor or a crawler meets them."""

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests import factories

pytestmark = pytest.mark.django_db

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def _sitemap(client) -> ET.Element:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    return ET.fromstring(response.content)  # noqa: S314 - our own response


@pytest.mark.parametrize(("path", "heading"), [
    ("/fr/nulle-part/", "Cette page n'existe pas ou plus"),
    ("/en/nulle-part/", "This page does not exist"),
    ("/fr/offres/pas-une-offre/", "Cette page n'existe pas ou plus"),
])
def test_unknown_page_gets_our_404_in_the_visitors_language(client, path, heading):
    response = client.get(path)
    assert response.status_code == 404
    body = response.content.decode()
    assert heading in body
    assert "Not Found" not in body
    assert reverse("companies:posting_list") in body or "/en/offres/" in body
    assert response["X-Robots-Tag"] == "noindex"


@pytest.mark.parametrize(("language", "heading", "way_back"), [
    ("fr", "Cette adresse s'ouvre par un bouton du site", "Revenez à la page précédente"),
    ("en", "This address opens through a button on the site", "Go back to the previous page"),
])
def test_a_forms_address_opened_as_a_link_gets_our_405_and_books_nothing(client, language, heading, way_back):
    from events.models import Registration

    session = factories.SessionFactory()
    response = client.get(f"/{language}/sessions/{session.pk}/reserver/")
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    body = response.content.decode()
    assert heading in body and way_back in body
    assert f'href="/{language}/offres/"' in body
    assert response["X-Robots-Tag"] == "noindex" and response["Cache-Control"] == "no-store"
    assert not Registration.objects.exists()


def test_the_apis_own_405_keeps_its_json(client):
    response = client.post("/api/v1/open/courses/")
    assert response.status_code == 405
    assert response["Content-Type"] == "application/json"
    assert "Erreur 405" not in response.content.decode()


def test_staff_member_without_the_role_gets_our_403_with_a_way_back(client_for, hotline_agent):
    client = client_for(hotline_agent)
    response = client.get(reverse("staff:dashboard"))
    assert response.status_code == 403
    body = response.content.decode()
    assert "Cette page ne vous est pas ouverte" in body
    assert "connecté·e en tant que hotline" in body
    assert reverse("admin:index") in body
    assert "403 Forbidden" not in body


def test_expired_form_gets_our_csrf_page_and_saves_nothing(client):
    from hotline.models import CallbackRequest

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("hotline:contact"), {"name": "Léa", "email": "lea@example.org"},
                           HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 403
    assert "Le formulaire a expiré" in response.content.decode()
    assert "CSRF verification failed" not in response.content.decode()
    assert not CallbackRequest.objects.exists()


@pytest.mark.urls("tests.tescforce.urls_errors")
@pytest.mark.parametrize(("language", "text"), [("fr", "Une erreur est survenue de notre côté"),
                                                ("en", "Something went wrong on our side")])
def test_server_error_gets_our_500_page(settings, language, text):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get("/boom/")
    assert response.status_code == 500
    body = response.content.decode()
    assert text in body
    assert "Server Error (500)" not in body


def test_rate_limited_download_gets_our_429_page(client, settings, monkeypatch):
    use_case = factories.UseCaseFactory(is_published=True)
    monkeypatch.setattr("django_ratelimit.decorators.is_ratelimited", lambda *args, **kwargs: True)
    response = client.get(reverse("showroom:usecase_sheet_pdf", args=[use_case.slug]))
    assert response.status_code == 429
    body = response.content.decode()
    assert "Trop de téléchargements : réessayez dans une minute." in body
    assert "<main" in body


def test_robots_txt_names_the_sitemap_and_keeps_crawlers_out_of_staff_and_personal_pages(client, settings):
    settings.SITE_URL = "https://emploi.example.org"
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Sitemap: https://emploi.example.org/sitemap.xml" in text
    for path in ("/admin/", "/pilotage/", "/fr/mon-espace/", "/en/mon-espace/"):
        assert f"Disallow: {path}\n" in text
    assert "Disallow: /\n" not in text


def test_favicon_and_touch_icon_exist_and_every_page_names_them(client):
    for name in ("icons/favicon.ico", "icons/favicon.svg", "icons/apple-touch-icon.png"):
        assert finders.find(name), name
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("icons/favicon.ico")
    home = client.get("/fr/").content.decode()
    assert 'rel="icon"' in home and 'rel="apple-touch-icon"' in home
    admin_login = client.get(reverse("admin:login")).content.decode()
    assert 'rel="icon"' in admin_login


def test_admin_carries_the_platforms_name(client):
    body = client.get(reverse("admin:login"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Tesc Force – administration" in body
    assert "Administration de Django" not in body and "Django administration" not in body


def test_sitemap_lists_every_kind_of_public_page_in_both_languages(client, company_a):
    posting = factories.JobPostingFactory(company=company_a)
    closed = factories.JobPostingFactory(company=company_a, status="closed")
    session = factories.SessionFactory()
    past = factories.SessionFactory(starts_at=timezone.now() - dt.timedelta(days=30))
    unpublished_session = factories.SessionFactory(is_published=False)
    use_case = factories.UseCaseFactory(is_published=True)
    draft_case = factories.UseCaseFactory(is_published=False)
    root = _sitemap(client)
    locs = {el.text for el in root.findall("s:url/s:loc", NS)}
    for lang in ("fr", "en"):
        base = f"http://testserver/{lang}"
        expected = {f"{base}/", f"{base}/offres/", f"{base}/sessions/", f"{base}/showroom/", f"{base}/contact/",
                    f"{base}/inscription/", f"{base}/accessibilite/", f"{base}/mentions-legales/",
                    f"{base}/offres/{posting.slug}/", f"{base}/entreprises/{company_a.slug}/",
                    f"{base}/sessions/{session.pk}/", f"{base}/showroom/{use_case.slug}/"}
        assert expected <= locs, expected - locs
        assert f"{base}/offres/{closed.slug}/" not in locs
        for hidden in (past, unpublished_session):
            assert f"{base}/sessions/{hidden.pk}/" not in locs
        assert f"{base}/showroom/{draft_case.slug}/" not in locs


def test_sitemap_alternates_point_at_final_addresses(client, company_a):
    factories.JobPostingFactory(company=company_a)
    root = _sitemap(client)
    entries = root.findall("s:url", NS)
    assert entries
    for entry in entries:
        alternates = {link.get("hreflang"): link.get("href") for link in entry.findall("x:link", NS)}
        assert set(alternates) == {"fr", "en", "x-default"}
        # x-default is the French page itself: a prefix-less address would only redirect.
        assert alternates["x-default"] == alternates["fr"]
        assert re.match(r"^http://testserver/(fr|en)/", alternates["x-default"])
    for href in {link.get("href") for link in root.findall("s:url/x:link", NS)}:
        assert client.get(href.removeprefix("http://testserver")).status_code == 200, href


def test_closed_posting_page_asks_not_to_be_indexed_and_an_open_one_does_not(client, company_a):
    open_posting = factories.JobPostingFactory(company=company_a)
    closed = factories.JobPostingFactory(company=company_a, status="closed")
    closed_page = client.get(closed.get_absolute_url())
    assert closed_page.status_code == 200
    assert '<meta name="robots" content="noindex">' in closed_page.content.decode()
    open_page = client.get(open_posting.get_absolute_url()).content.decode()
    assert 'content="noindex"' not in open_page


def _json_ld(body: str) -> dict:
    match = re.search(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', body, re.S)
    assert match
    return json.loads(match.group(1))


def test_job_posting_data_gives_the_street_address_of_the_companys_site_in_that_town(client, company_a):
    from companies.models import CompanySite

    posting = factories.JobPostingFactory(company=company_a, city="Toulouse", postcode="31000")
    address = _json_ld(client.get(posting.get_absolute_url()).content.decode())["jobLocation"]["address"]
    assert "streetAddress" not in address
    CompanySite.objects.create(company=company_a, city="Montpellier", address="1 rue de la Loge")
    CompanySite.objects.create(company=company_a, city="toulouse", address="12 allée Jean Jaurès")
    other = factories.JobPostingFactory(company=company_a, city="Toulouse")
    address = _json_ld(client.get(other.get_absolute_url()).content.decode())["jobLocation"]["address"]
    assert address["streetAddress"] == "12 allée Jean Jaurès"
    assert address["addressLocality"] == "Toulouse"


@pytest.mark.parametrize(("fixture", "dashboard", "hotline"), [
    ("coordinator", True, True), ("hotline_agent", False, True), ("prospecting_officer", True, False),
    ("recruiter_a", False, False),
])
def test_footer_links_only_to_the_staff_tools_the_person_may_open(request, client_for, fixture, dashboard, hotline):
    client = client_for(request.getfixturevalue(fixture))
    body = client.get("/fr/").content.decode()
    assert (f'href="{reverse("staff:dashboard")}"' in body) is dashboard
    assert (f'href="{reverse("staff:hotline_home")}"' in body) is hotline
    for name, shown in (("staff:dashboard", dashboard), ("staff:hotline_home", hotline)):
        if shown:
            assert client.get(reverse(name)).status_code == 200
