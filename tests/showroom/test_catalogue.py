import re

import pytest

from showroom.models import UseCase
from showroom.selectors import use_case_search


def shown(response) -> list[UseCase]:
    """The use cases the page lists, in its order (it pages over ids: the cards are cached one by one)."""
    ids = list(response.context["page"].object_list)
    by_id = UseCase.objects.in_bulk(ids)
    return [by_id[pk] for pk in ids]


@pytest.mark.django_db
@pytest.mark.parametrize(("lang", "title", "other"), [
    ("fr", "Jumeau numérique d&#x27;une ligne d&#x27;assemblage", "Digital twin"),
    ("en", "Digital twin of an assembly line", "Jumeau numérique"),
])
def test_catalogue_lists_published_use_cases_in_the_visitor_language(client, catalogue, lang, title, other):
    response = client.get(f"/{lang}/showroom/")
    html = response.content.decode()
    assert response.status_code == 200
    assert title in html
    assert other not in html
    assert "Projet secret" not in html
    assert len(shown(response)) == 3


@pytest.mark.django_db
def test_catalogue_filters_by_sector_technology_and_company(client, catalogue, company_b):
    by_sector = shown(client.get("/fr/showroom/", {"sector": "sante"}))
    assert [uc.slug for uc in by_sector] == ["hopital-connecte"]
    by_tech = shown(client.get("/en/showroom/", {"technology": "ia"}))
    assert {uc.slug for uc in by_tech} == {"jumeau-numerique", "inspection-drone"}
    by_company = shown(client.get("/fr/showroom/", {"company": company_b.slug}))
    assert [uc.slug for uc in by_company] == ["inspection-drone"]
    both = shown(client.get("/fr/showroom/", {"sector": "aeronautique", "technology": "iot"}))
    assert [uc.slug for uc in both] == ["jumeau-numerique"]


@pytest.mark.django_db
@pytest.mark.parametrize("params", [{"sector": "nope"}, {"technology": "' OR 1=1"}, {"company": "x" * 500},
                                    {"q": "x" * 5000}, {"page": "abc"}, {"page": "999"}])
def test_catalogue_survives_bad_filters(client, catalogue, params):
    response = client.get("/en/showroom/", params)
    assert response.status_code == 200


@pytest.mark.django_db
def test_unknown_filter_value_shows_the_error_in_english(client, catalogue):
    html = client.get("/en/showroom/", {"sector": "nope"}).content.decode()
    assert "Select a valid choice" in html


@pytest.mark.django_db
@pytest.mark.parametrize(("lang", "query", "expected"), [
    ("fr", "capteurs", {"jumeau-numerique"}),
    ("en", "sensors", {"jumeau-numerique"}),
    ("en", "drone", {"inspection-drone"}),
    ("fr", "lits", {"hopital-connecte"}),
    ("en", "Things", {"jumeau-numerique", "hopital-connecte"}),  # technology names count too
    ("fr", "objets", {"jumeau-numerique", "hopital-connecte"}),
    ("en", "capteurs", set()),  # French words do not match the English catalogue
])
def test_search_runs_in_the_visitor_language(client, catalogue, lang, query, expected):
    found = shown(client.get(f"/{lang}/showroom/", {"q": query}))
    assert {uc.slug for uc in found} == expected


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.parametrize(("language", "query", "expected"), [
    ("en", "predicting sensor", {"jumeau-numerique"}),  # English stemming: predicting ~ predictive
    ("fr", "capteur prédictif", {"jumeau-numerique"}),  # French stemming: capteur ~ capteurs, prédictif ~ prédictive
    ("en", "capteur", set()),  # the English configuration does not search the French columns
    ("fr", "robot", {"jumeau-numerique"}),  # French stemming: robot ~ robots
    ("fr", "drones hangar", {"inspection-drone"}),
    ("en", "vibrations -drone", {"jumeau-numerique"}),
])
def test_postgres_full_text_search_uses_the_language_configuration(catalogue, language, query, expected):
    found = use_case_search(UseCase.objects.filter(is_published=True), query, language=language)
    assert {uc.slug for uc in found} == expected


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgres_search_ranks_title_matches_first(catalogue):
    found = list(use_case_search(UseCase.objects.filter(is_published=True), "drone", language="en"))
    assert found[0].slug == "inspection-drone"


@pytest.mark.django_db
def test_detail_page_shows_related_use_cases_and_companies(client, catalogue, company_a):
    response = client.get("/en/showroom/jumeau-numerique/")
    assert response.status_code == 200
    html = response.content.decode()
    section = html[html.index('id="related-title"'):]
    related = re.findall(r'href="/en/showroom/([a-z-]+)/"', section[:section.index("</section>")])
    # the drone shares a sector and a technology, the hospital only a technology
    assert related == ["inspection-drone", "hopital-connecte"]
    assert "30% fewer stoppages." in html
    assert company_a.get_absolute_url() in html


@pytest.mark.django_db
def test_draft_use_case_is_not_public(client, catalogue):
    assert client.get("/fr/showroom/brouillon/").status_code == 404
    assert client.get("/fr/showroom/brouillon/fiche/pdf/").status_code == 404


@pytest.mark.django_db
def test_english_falls_back_to_french_when_a_translation_is_missing(client, catalogue):
    UseCase.objects.filter(slug="hopital-connecte").update(title_en="")
    html = client.get("/en/showroom/").content.decode()
    assert "Hôpital connecté" in html


@pytest.mark.django_db
def test_home_page_shows_featured_use_cases(client, catalogue):
    html = client.get("/en/").content.decode()
    assert "Digital twin of an assembly line" in html
    assert "Connected hospital" not in html


@pytest.mark.django_db
def test_filters_offer_only_sectors_in_the_catalogue_sorted_in_the_visitor_language(client, catalogue):
    english = client.get("/en/showroom/").context["filter"].form.fields["sector"]
    assert [s.name for s in english.queryset] == ["Aerospace", "Health"]
    assert [label for _, label in english.widget.choices] == ["All sectors", "Aerospace", "Health"]
    french = client.get("/fr/showroom/").context["filter"].form.fields["technology"]
    assert [t.slug for t in french.queryset] == ["ia", "iot"]  # Intelligence… before Internet…
    assert [value for value, _ in french.widget.choices] == ["", "ia", "iot"]


@pytest.mark.django_db
def test_catalogue_and_detail_queries_do_not_grow_with_the_catalogue(client, catalogue, django_assert_max_num_queries):
    from .. import factories

    for _ in range(15):
        use_case = factories.UseCaseFactory(sector=catalogue["aero"])
        use_case.technologies.add(catalogue["iot"])
    with django_assert_max_num_queries(12):
        assert client.get("/en/showroom/", {"technology": "iot"}).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get("/en/showroom/jumeau-numerique/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["Balises", "Beacons"])
def test_english_search_finds_text_shown_through_the_french_fallback(client, catalogue, query):
    use_case = UseCase.objects.get(slug="hopital-connecte")
    use_case.body_en, use_case.summary_en, use_case.body_fr = "", "", "Balises sur les lits."
    use_case.save()  # as the admin does: the stored vectors follow (showroom.search)
    found = {uc.slug for uc in shown(client.get("/en/showroom/", {"q": query}))}
    assert found == ({"hopital-connecte"} if query == "Balises" else set())


@pytest.mark.django_db
def test_cards_are_shared_between_lists_and_rendered_again_after_a_change(client, catalogue):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from showroom.models import Technology

    client.get("/fr/showroom/")
    with CaptureQueriesContext(connection) as ctx:
        filtered = client.get("/fr/showroom/", {"technology": "ia"}).content.decode()  # a URL not requested before
    assert "Jumeau numérique" in filtered
    # Its cards come from the first list: no use case read with its technologies for them.
    assert not [q for q in ctx.captured_queries if '"showroom_usecase_technologies"."usecase_id" IN (' in q["sql"]]
    ai = Technology.objects.get(slug="ia")
    ai.name_fr = "IA générative"
    ai.save()
    assert "IA générative" in client.get("/fr/showroom/", {"sector": "aeronautique"}).content.decode()
    assert "IA générative" not in client.get("/en/showroom/", {"sector": "aeronautique"}).content.decode()


@pytest.mark.django_db
def test_filter_choices_follow_the_catalogue_once_it_changes(client, catalogue, company_a, company_b):
    from tests import factories

    first = client.get("/fr/showroom/").content.decode()
    newcomer = factories.CompanyFactory(name="Gamma Robotique", slug="gamma")
    assert "Gamma Robotique" not in first
    factories.UseCaseFactory(title="Cobot", is_published=True).companies.add(newcomer)
    options = client.get("/fr/showroom/").content.decode()
    companies = options[options.index('name="company"'):]
    assert '<option value="gamma">Gamma Robotique</option>' in companies[:companies.index("</select>")]


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgres_search_follows_edits_of_the_use_case_and_its_sector(client, catalogue):
    """The stored vectors are refreshed on save: new words are found, the words removed are not."""
    use_case = UseCase.objects.get(slug="inspection-drone")
    use_case.title_en, use_case.body_fr = "Fuselage inspection by quadcopter", "Thermographie infrarouge."
    use_case.save()
    english = {uc.slug for uc in shown(client.get("/en/showroom/", {"q": "quadcopter"}))}
    french = {uc.slug for uc in shown(client.get("/fr/showroom/", {"q": "thermographie"}))}
    assert (english, french) == ({"inspection-drone"}, {"inspection-drone"})
    assert not use_case_search(UseCase.objects.all(), "ordinateur", language="fr").filter(pk=use_case.pk)

    sector = catalogue["health"]
    sector.name_fr, sector.name_en = "Médecine", "Medicine"
    sector.save()
    health = {"hopital-connecte", "brouillon"}  # every use case of the sector, the draft too
    assert {uc.slug for uc in use_case_search(UseCase.objects.all(), "médecine", language="fr")} == health
    assert {uc.slug for uc in use_case_search(UseCase.objects.all(), "medicine", language="en")} == health
    assert not use_case_search(UseCase.objects.all(), "santé", language="fr")


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgres_bulk_loaded_use_cases_become_searchable_after_refresh_all(catalogue):
    from showroom import search

    bulk = UseCase.objects.bulk_create([UseCase(
        slug="import-lot", sector=catalogue["aero"], client_type=UseCase.ClientType.SME, is_published=True,
        title_fr="Ordonnancement d'atelier", title_en="Workshop scheduling", summary_fr="…", body_fr="…")])[0]
    assert not use_case_search(UseCase.objects.all(), "ordonnancement", language="fr")
    assert search.refresh_all() == UseCase.objects.count()
    assert [uc.pk for uc in use_case_search(UseCase.objects.all(), "ordonnancement", language="fr")] == [bulk.pk]
    assert [uc.pk for uc in use_case_search(UseCase.objects.all(), "ordonnancement", language="en")] == []
    assert [uc.pk for uc in use_case_search(UseCase.objects.all(), "workshop", language="en")] == [bulk.pk]
