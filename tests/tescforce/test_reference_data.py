import pytest

from companies.models import JobFamily, Skill
from showroom.models import Sector, Technology
from tescforce.models import YearTarget
from tescforce.reference_data import (
    OCCITANIE_CITIES,
    ROME_JOB_FAMILIES,
    SECTORS,
    SKILLS,
    TECHNOLOGIES,
    city_choices,
    load_reference_data,
    postcode_for,
)

pytestmark = pytest.mark.django_db


def test_migrations_load_every_digital_job_of_the_rome():
    assert JobFamily.objects.count() == len(ROME_JOB_FAMILIES)
    for code in ("M1801", "M1802", "M1803", "M1804", "M1805", "M1806", "M1810", "H1206", "E1104", "I1401"):
        assert JobFamily.objects.filter(code=code).exists()
    assert JobFamily.objects.get(code="M1805").label == "Études et développement informatique"
    assert JobFamily.objects.get(code="M1801").label == "Administration de systèmes d'information"


def test_skills_taxonomy_covers_every_category():
    assert Skill.objects.count() == len(SKILLS) >= 80
    used = set(Skill.objects.values_list("category", flat=True))
    assert used == set(Skill.Category.values)
    assert Skill.objects.get(slug="cpp").name == "C++"
    assert Skill.objects.get(slug="csharp").name == "C#"


@pytest.mark.parametrize("left, right", [("python", "django"), ("java", "spring"), ("sap", "abap"),
                                         ("aws", "azure"), ("azure", "google-cloud"), ("docker", "kubernetes")])
def test_close_skills_are_related_both_ways(left, right):
    a, b = Skill.objects.get(slug=left), Skill.objects.get(slug=right)
    assert b in a.related.all()
    assert a in b.related.all()


def test_every_skill_relation_is_symmetric():
    for skill in Skill.objects.prefetch_related("related"):
        for other in skill.related.all():
            assert skill in other.related.all(), f"{skill} → {other} has no way back"


def test_sectors_and_technologies_have_french_and_english_names():
    assert Sector.objects.count() == len(SECTORS)
    assert Technology.objects.count() == len(TECHNOLOGIES)
    space = Sector.objects.get(slug="spatial")
    assert (space.name_fr, space.name_en) == ("Spatial", "Space")
    twin = Technology.objects.get(slug="jumeau-numerique")
    assert (twin.name_fr, twin.name_en) == ("Jumeau numérique", "Digital twin")
    assert not Sector.objects.filter(name_en__isnull=True).exists()
    assert not Technology.objects.filter(name_en="").exists()


def test_year_targets_hold_the_article_figures():
    target = YearTarget.objects.get(year=2023)
    assert (target.candidates, target.sessions, target.companies, target.meetings) == (200, 8, 40, 400)


def test_loading_again_changes_nothing_and_keeps_edited_targets(django_user_model):
    from django.apps import apps

    target = YearTarget.objects.get(year=2023)
    target.meetings = 450
    target.save()
    counts = (JobFamily.objects.count(), Skill.objects.count(), Sector.objects.count(), YearTarget.objects.count())
    relations = Skill.related.through.objects.count()
    load_reference_data(apps)
    assert (JobFamily.objects.count(), Skill.objects.count(), Sector.objects.count(),
            YearTarget.objects.count()) == counts
    assert Skill.related.through.objects.count() == relations
    assert YearTarget.objects.get(year=2023).meetings == 450


def test_occitanie_cities_have_occitanie_postcodes():
    from candidates.models import is_in_occitanie

    assert all(is_in_occitanie(postcode) and postcode.startswith(dept) for _n, postcode, dept in OCCITANIE_CITIES)
    assert postcode_for("Montpellier") == "34000"
    assert postcode_for("Lyon") == ""
    assert ("Toulouse", "Toulouse (31000)") in city_choices()
