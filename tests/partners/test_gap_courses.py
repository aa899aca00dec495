"""Courses under the offers a person lacks skills for: only those within reach (their town or metro area, their
department, online, a place they said they would go to), upcoming or running, a few, best first; shown in Mon
espace and on the coordinators' and recruiters' match pages at a fixed number of queries."""

import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from candidates import tokens
from companies import learning
from companies.models import JobFamily
from matching import selectors
from matching import services as matching_services
from matching.models import Match
from partners import courses as course_reads
from tests import factories

from .course_rows import course, skill

pytestmark = pytest.mark.django_db
# The training bodies, the prescriber and their keys.
pytest_plugins = ["tests.partners.course_fixtures"]


def gap(*names, city="Toulouse", **mobility):
    return learning.Gap(key="k", skill_ids=tuple(skill(n).pk for n in names), city=city, **mobility)


def titles(found):
    return [hint.course.title for hint in found.get("k", [])]


def test_nearest_first_and_out_of_reach_left_out(academy, campus):
    course(academy, title="Docker à Labège", skills=("Docker",), city="Labège", start=30)
    course(academy, title="Docker à Muret", skills=("Docker",), city="Muret", start=5)
    course(campus, title="Docker à Montpellier", skills=("Docker",), city="Montpellier")
    course(campus, title="Docker en ligne", skills=("Docker",), city="", online=True)
    course(academy, title="Docker à Saint-Gaudens", skills=("Docker",), city="Saint-Gaudens")
    course(academy, title="Docker à Albi", skills=("Docker",), city="Albi")
    found = course_reads.gap_courses([gap("Docker")], limit=10)
    # Labège and Muret are the Toulouse area (soonest first), Saint-Gaudens the same department, then online;
    # Montpellier and Albi are places the person did not say they would go to.
    assert titles(found) == ["Docker à Muret", "Docker à Labège", "Docker à Saint-Gaudens", "Docker en ligne"]
    assert [hint.where for hint in found["k"]] == ["city", "city", "department", "online"]
    wider = course_reads.gap_courses([gap("Docker", montpellier_area=True, elsewhere_in_region=True)], limit=10)
    assert titles(wider)[-2:] in (["Docker à Montpellier", "Docker à Albi"], ["Docker à Albi", "Docker à Montpellier"])


def test_a_course_teaching_more_of_the_gap_comes_first_and_only_a_few_are_given(academy):
    course(academy, title="Docker seul", skills=("Docker",), start=1)
    course(academy, title="Docker et Kubernetes", skills=("Docker", "Kubernetes"), start=50)
    for n in range(4):
        course(academy, title=f"Kubernetes {n}", skills=("Kubernetes",), start=10 + n)
    found = course_reads.gap_courses([gap("Docker", "Kubernetes")], limit=3)
    assert titles(found) == ["Docker et Kubernetes", "Docker seul", "Kubernetes 0"]
    assert found["k"][0].taught == ["Docker", "Kubernetes"] and found["k"][1].taught == ["Docker"]


def test_drafts_courses_over_and_other_skills_are_never_offered(academy):
    course(academy, title="Brouillon", skills=("Docker",), published=False)
    course(academy, title="Terminée", skills=("Docker",), start=-30, days=5)
    course(academy, title="Autre sujet", skills=("Rust",))
    running = course(academy, title="En cours", skills=("Docker",), start=-3, days=30)
    found = course_reads.gap_courses([gap("Docker")], limit=5)
    assert titles(found) == ["En cours"] and found["k"][0].course.is_running()
    assert running.pk == found["k"][0].course.pk


# --- through matching --------------------------------------------------------------------------------------

@pytest.fixture
def world(academy, campus):
    python, sql, docker = skill("Python"), skill("SQL"), skill("Docker")
    family = JobFamily.objects.get_or_create(code="M1805", defaults={"label": "Études et développement"})[0]
    person = factories.CandidateFactory(first_name="Inès", last_name="Garcia", city="Toulouse",
                                        mobility_toulouse=True, shown_to_recruiters=True)
    person.skills.set([python, sql])
    person.desired_job_families.set([family])
    factories.give_consent(person)
    company = factories.CompanyFactory(name="Garonne Data")
    posting = factories.JobPostingFactory(title="Développeuse back-end", city="Toulouse", company=company,
                                          job_family=family, open_to_retraining=True)
    posting.skills_required.set([python, sql, docker])
    near = course(academy, title="Docker en cinq jours", title_en="Docker in five days", skills=("Docker",),
                  funding_cpf=True)
    far = course(campus, title="Docker à Montpellier", skills=("Docker",), city="Montpellier")
    matching_services.matches_recompute_all()
    match = Match.objects.get(candidate=person, posting=posting)
    assert match.score >= selectors.COURSES_FROM_SCORE
    return {"person": person, "posting": posting, "company": company, "near": near, "far": far, "match": match,
            "family": family}


def space(client, person, lang="fr"):
    token = tokens.make_token(candidate_public_id=str(person.public_id), purpose="space")
    assert client.get(f"/fr/mon-espace/lien/{token}/").status_code == 302
    response = client.get(f"/{lang}/mon-espace/accueil/")
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_the_candidates_offers_name_the_course_near_them_for_the_missing_skill(client, world):
    body = space(client, world["person"])
    assert "À apprendre :</strong> Docker" in body and "Pour acquérir ce qui manque :" in body
    assert "Docker en cinq jours" in body and "Enseigne : Docker" in body and "CPF (compte personnel" in body
    assert 'href="https://formation.example/docker-en-cinq-jours"' in body
    assert "Docker à Montpellier" not in body
    english = space(client, world["person"], "en")
    assert "To learn what is missing:" in english and "Docker in five days" in english


def test_no_course_is_offered_without_a_gap_or_under_a_weak_match(client, world):
    world["person"].skills.add(skill("Docker"))
    matching_services.matches_recompute_all()
    assert "Pour acquérir ce qui manque" not in space(client, world["person"])
    weak = Match.objects.get(candidate=world["person"], posting=world["posting"])
    explained = selectors.explanations_for([weak])
    weak.score = selectors.COURSES_FROM_SCORE - 1
    assert selectors.with_courses([weak], explained)[weak.pk].courses == []


def test_coordinators_see_the_courses_on_both_match_pages(client_for, coordinator, world):
    client = client_for(coordinator)
    for url in (f"/pilotage/rapprochements/candidat/{world['person'].public_id}/",
                f"/pilotage/rapprochements/offre/{world['posting'].pk}/"):
        body = html.unescape(client.get(url).content.decode())
        assert "Docker en cinq jours" in body and "Docker à Montpellier" not in body, url


def test_the_recruiter_of_the_posting_sees_them_too(client_for, world):
    recruiter = factories.RecruiterFactory(company=world["company"], user__username="recrutement-garonne").user
    body = html.unescape(client_for(recruiter).get(
        f"/pilotage/rapprochements/mes-offres/{world['posting'].pk}/").content.decode())
    assert "Inès" in body and "Docker en cinq jours" in body


def test_the_courses_cost_the_same_queries_however_many_offers_and_courses(client, world, academy):
    client_person = world["person"]
    space(client, client_person)
    with CaptureQueriesContext(connection) as few:
        client.get("/fr/mon-espace/accueil/")
    for n in range(5):
        posting = factories.JobPostingFactory(title=f"Offre {n}", city="Toulouse", job_family=world["family"],
                                              company=factories.CompanyFactory())
        posting.skills_required.set([skill("Python"), skill("SQL"), skill(f"Outil{n}")])
        course(academy, title=f"Outil {n}", skills=(f"Outil{n}", "Docker"), start=n + 1)
    matching_services.matches_recompute_all()
    with CaptureQueriesContext(connection) as many:
        body = html.unescape(client.get("/fr/mon-espace/accueil/").content.decode())
    assert body.count("Pour acquérir ce qui manque :") == 6
    assert len(many.captured_queries) == len(few.captured_queries), [q["sql"] for q in many.captured_queries]


def test_the_coordinators_page_costs_the_same_queries_however_many_candidates(client_for, coordinator, world):
    client = client_for(coordinator)
    url = f"/pilotage/rapprochements/offre/{world['posting'].pk}/"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _n in range(5):
        other = factories.CandidateFactory(city="Toulouse", mobility_toulouse=True)
        other.skills.set([skill("Python"), skill("SQL")])
        other.desired_job_families.set([world["family"]])
        factories.give_consent(other)
    matching_services.matches_recompute_all()
    with CaptureQueriesContext(connection) as many:
        body = html.unescape(client.get(url).content.decode())
    assert body.count("Docker en cinq jours") == 6
    assert len(many.captured_queries) == len(few.captured_queries), [q["sql"] for q in many.captured_queries]
