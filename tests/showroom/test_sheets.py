import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from showroom import services
from showroom.sheets import render_document, sheet_queryset

from .. import factories
from .conftest import image_bytes

FRENCH_LABELS = ["Secteur", "Le projet", "Résultats mesurés", "Entreprises impliquées", "Imprimer",
                 "Télécharger en PDF", "Showroom du numérique en Occitanie", "Vous souhaitez rencontrer"]
ENGLISH_LABELS = ["Sector", "The project", "Measured results", "Companies involved", "Print", "Download as PDF",
                  "Showroom of digital know-how in Occitanie", "Would you like to meet"]


@pytest.mark.django_db
@pytest.mark.parametrize(("lang", "expected", "absent"), [("fr", FRENCH_LABELS, ENGLISH_LABELS),
                                                          ("en", ENGLISH_LABELS, FRENCH_LABELS)])
def test_print_sheet_renders_fully_in_each_language(client, catalogue, lang, expected, absent):
    response = client.get(f"/{lang}/showroom/jumeau-numerique/fiche/")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in html
    assert "sheet.css" in html
    for label in expected:
        assert label in html, label
    for label in absent:
        assert label not in html, label
    content = catalogue["twin"]
    assert (content.title_en if lang == "en" else content.title_fr).replace("'", "&#x27;") in html


def test_showroom_and_prospecting_catalogues_have_no_missing_english_translation():
    for app in ("showroom", "prospecting"):
        po = (Path(__file__).resolve().parents[2] / app / "locale/en/LC_MESSAGES/django.po").read_text()
        assert "#, fuzzy" not in po.split("\n\n", 1)[1], app
        entries = re.findall(r'\nmsgid ((?:".*"\n)+)msgstr ((?:".*"\n)+)', po + "\n")
        assert entries, app
        empty = [msgid for msgid, msgstr in entries if msgid.strip() != '""' and msgstr.strip() == '""']
        assert empty == [], (app, empty)
        plural_empty = re.findall(r'msgstr\[\d\] ""\n(?!")', po)
        assert plural_empty == [], app


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_pdf_sheet_downloads_as_pdf(client, catalogue, lang):
    services.use_case_image_add(use_case=catalogue["twin"], alt_text="Robots",
                                upload=SimpleUploadedFile("robots.jpg", image_bytes(), content_type="image/jpeg"))
    response = client.get(f"/{lang}/showroom/jumeau-numerique/fiche/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert b"/Image" in response.content  # the use case's image is embedded


@pytest.mark.django_db
def test_officer_downloads_one_pdf_for_a_chosen_set_for_a_prospect(client_for, prospecting_officer, catalogue):
    prospect = factories.ProspectFactory(name="Ubiik", sector=catalogue["aero"])
    client = client_for(prospecting_officer)
    page = client.get(f"/pilotage/prospection/prospects/{prospect.pk}/fiches/")
    assert page.status_code == 200
    assert set(page.context["form"].initial["use_cases"]) == {catalogue["twin"].pk, catalogue["drone"].pk}
    response = client.post(f"/pilotage/prospection/prospects/{prospect.pk}/fiches/", {
        "use_cases": [catalogue["twin"].pk, catalogue["hospital"].pk], "language": "en"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")



@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_each_use_case_fits_on_one_page(catalogue, lang):
    long_body = "Un paragraphe de description assez long pour remplir la page. " * 120
    catalogue["twin"].body_fr = catalogue["twin"].body_en = long_body
    catalogue["twin"].save()
    chosen = list(sheet_queryset().filter(is_published=True))
    document = render_document(chosen, language=lang, prospect_name="Ubiik")
    assert len(document.pages) == len(chosen) == 3


@pytest.mark.django_db
def test_prospect_sheet_refuses_an_empty_choice(client_for, prospecting_officer, catalogue):
    prospect = factories.ProspectFactory()
    response = client_for(prospecting_officer).post(f"/pilotage/prospection/prospects/{prospect.pk}/fiches/",
                                                    {"language": "en"})
    assert response.status_code == 400
    assert response.context["form"].errors["use_cases"]


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["recruiter_a", "hotline_agent"])
def test_prospect_sheets_are_closed_to_recruiters_and_hotline(client_for, request, catalogue, who):
    prospect = factories.ProspectFactory()
    client = client_for(request.getfixturevalue(who))
    assert client.get(f"/pilotage/prospection/prospects/{prospect.pk}/fiches/").status_code == 403
    response = client.post(f"/pilotage/prospection/prospects/{prospect.pk}/fiches/",
                           {"use_cases": [catalogue["twin"].pk], "language": "en"})
    assert response.status_code == 403


@pytest.mark.django_db
def test_prospect_sheets_ask_anonymous_visitors_to_log_in(client, catalogue):
    prospect = factories.ProspectFactory()
    response = client.get(f"/pilotage/prospection/prospects/{prospect.pk}/fiches/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.django_db
def test_pdf_is_rendered_once_then_served_from_the_cache(client, catalogue, monkeypatch):
    from django.core.cache import cache

    from showroom import views

    cache.clear()
    calls = []
    real = views.render_pdf
    monkeypatch.setattr(views, "render_pdf", lambda *a, **k: calls.append(k["language"]) or real(*a, **k))
    first = client.get("/en/showroom/jumeau-numerique/fiche/pdf/").content
    second = client.get("/en/showroom/jumeau-numerique/fiche/pdf/").content
    client.get("/fr/showroom/jumeau-numerique/fiche/pdf/")
    assert first == second
    assert calls == ["en", "fr"]
    catalogue["twin"].title_en = "Renamed"
    catalogue["twin"].save()
    client.get("/en/showroom/jumeau-numerique/fiche/pdf/")
    assert calls == ["en", "fr", "en"]
    cache.clear()
