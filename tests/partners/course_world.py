"""People and rows the courses' and the API's tests share: two training bodies and their members, a prescriber,
courses, keys. Plain functions and fixtures imported by the test modules that use them."""

import datetime as dt

import pytest
from django.utils import timezone
from django.utils.text import slugify

from companies.models import Partner, Skill
from partners.api import keys
from partners.models import Course, Member
from tescforce import roles
from tests import factories


def skill(name: str, slug: str | None = None) -> Skill:
    return Skill.objects.get_or_create(slug=slug or name.lower(),
                                       defaults={"name": name, "category": Skill.Category.LANGUAGE})[0]


def course(partner, *, title="Développeur·se Python", skills=("Python",), city="Toulouse", online=False, start=10,
           days=60, published=True, **fields) -> Course:
    today = timezone.localdate()
    row = Course.objects.create(partner=partner, title=title, city=city, online=online,
                                starts_on=today + dt.timedelta(days=start),
                                ends_on=today + dt.timedelta(days=start + days),
                                link="https://formation.example/" + slugify(title),
                                is_published=published, **fields)
    row.skills.set([skill(name) for name in skills])
    return row


def member(partner, username: str, **user) -> Member:
    account = factories.UserFactory(username=username, is_staff=False, groups=[roles.PARTNERS], **user)
    return Member.objects.create(user=account, partner=partner)


@pytest.fixture
def academy(db):
    return factories.PartnerFactory(name="Académie du Code", kind=Partner.Kind.TRAINING, city="Toulouse")


@pytest.fixture
def campus(db):
    return factories.PartnerFactory(name="Campus du Lez", kind=Partner.Kind.SCHOOL, city="Montpellier")


@pytest.fixture
def agency(db):
    return factories.PartnerFactory(name="France Travail Toulouse Nord", kind=Partner.Kind.FRANCE_TRAVAIL,
                                    city="Toulouse")


@pytest.fixture
def academy_key(academy):
    return keys.api_key_create(partner=academy, name="Suivi des stagiaires")


@pytest.fixture
def campus_key(campus):
    return keys.api_key_create(partner=campus, name="ERP du campus")


@pytest.fixture
def agency_key(agency):
    return keys.api_key_create(partner=agency, name="Logiciel de l'agence")
