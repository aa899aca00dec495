"""The public list of courses: published ones not over yet, filtered by skill, place, funding and dates, in both
languages; refused filters say why and list nothing; the list is in the sitemap and the navigation."""

import datetime as dt
import html

import pytest
from django.utils import timezone

from .course_rows import course, skill

pytestmark = pytest.mark.django_db
# The training bodies, the prescriber and their keys.
pytest_plugins = ["tests.partners.course_fixtures"]


def page(client, query="", lang="fr"):
    response = client.get(f"/{lang}/formations/{query}")
    assert response.status_code == 200
    return html.unescape(response.content.decode())


@pytest.fixture
def catalogue(academy, campus):
    return {
        "python": course(academy, title="Développeur·se Python", title_en="Python developer", skills=("Python", "SQL"),
                         funding_cpf=True, funding_region=True, summary="Quatre mois, un stage."),
        "react": course(campus, title="Front-end React", skills=("React",), city="Montpellier", online=True,
                        start=40, funding_france_travail=True),
        "flutter": course(campus, title="Flutter à distance", skills=("Flutter",), city="", online=True, start=-5,
                          days=20, funding_free=True),
        "draft": course(academy, title="Brouillon Docker", skills=("Docker",), published=False),
        "over": course(academy, title="Session passée", skills=("Python",), start=-60, days=10),
    }


def test_the_list_shows_published_courses_not_over_with_what_a_person_needs(client, catalogue):
    body = page(client)
    for title in ("Développeur·se Python", "Front-end React", "Flutter à distance"):
        assert title in body
    assert "Brouillon Docker" not in body and "Session passée" not in body
    assert "3 formations" in body
    assert "Académie du Code · Toulouse" in body and "Montpellier et à distance" in body
    assert "CPF (compte personnel de formation)" in body and "Région Occitanie" in body
    assert "Compétences enseignées : Python, SQL" in body and "Quatre mois, un stage." in body
    assert 'href="https://formation.example/developpeurse-python"' in body
    assert "En cours" in body  # the Flutter course started five days ago


def test_english_visitors_read_the_english_title_or_the_french_one_marked(client, catalogue):
    body = page(client, lang="en")
    assert "Courses for digital jobs" in body and "3 courses" in body
    assert "Python developer" in body and "Développeur·se Python" not in body
    assert '<span lang="fr">Front-end React</span>' in body and "in French" in body
    assert "CPF (personal training account)" in body and "Online" in body


@pytest.mark.parametrize(("query", "shown", "hidden"), [
    ("?skill={react}", ["Front-end React"], ["Développeur·se Python", "Flutter à distance"]),
    ("?where=online", ["Front-end React", "Flutter à distance"], ["Développeur·se Python"]),
    ("?where=Toulouse", ["Développeur·se Python"], ["Front-end React", "Flutter à distance"]),
    ("?funding=free", ["Flutter à distance"], ["Développeur·se Python", "Front-end React"]),
    ("?funding=cpf&where=Toulouse", ["Développeur·se Python"], ["Front-end React", "Flutter à distance"]),
    ("?starts_after={in20}", ["Front-end React"], ["Développeur·se Python", "Flutter à distance"]),
    ("?starts_before={in20}", ["Développeur·se Python", "Flutter à distance"], ["Front-end React"]),
])
def test_filters_keep_the_courses_that_match(client, catalogue, query, shown, hidden):
    in20 = (timezone.localdate() + dt.timedelta(days=20)).isoformat()
    body = page(client, query.format(react=skill("React").pk, in20=in20))
    titles = body.split("results-title", 1)[1]
    assert all(title in titles for title in shown), shown
    assert not any(f">{title} " in titles or f">{title}<" in titles for title in hidden), hidden
    assert "(retirer ce filtre)" in body


@pytest.mark.parametrize(("lang", "message"), [
    ("fr", "Saisissez une date valide, par exemple 15/03/2027."),
    ("en", "Enter a valid date, for example 15/03/2027."),
])
def test_a_bad_date_says_so_in_the_visitors_language_and_lists_nothing(client, catalogue, lang, message):
    body = page(client, "?starts_after=31/02/2027", lang=lang)
    assert message in body and 'aria-invalid="true"' in body
    assert "Développeur·se Python" not in body.split("results-title", 1)[1]


def test_an_unknown_place_or_skill_says_none_rather_than_failing(client, catalogue):
    body = page(client, "?where=Narbonne")
    assert "Aucune formation ne correspond à ces critères." in body
    body = page(client, "?skill=999999")
    assert "Sélectionnez un choix valide" in body


def test_the_list_is_in_the_navigation_and_the_sitemap_in_both_languages(client, catalogue):
    assert 'href="/fr/formations/"' in page(client, "")
    home = client.get("/fr/").content.decode()
    assert 'href="/fr/formations/">Formations</a>' in home
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "/fr/formations/</loc>" in sitemap and "/en/formations/</loc>" in sitemap


def test_a_changed_course_shows_at_once_despite_the_cached_list(client, catalogue):
    assert "Développeur·se Python" in page(client)
    python = catalogue["python"]
    python.title = "Python et Django"
    python.save()
    body = page(client)
    assert "Python et Django" in body and "Développeur·se Python" not in body
    python.skills.set([skill("Rust")])
    assert f'value="{skill("Rust").pk}"' in page(client)
