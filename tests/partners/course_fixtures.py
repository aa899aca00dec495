"""The organisations the courses' and the API's tests share (two that teach, one that refers) and their keys; a
plugin the test modules load with `pytest_plugins = ["tests.partners.course_fixtures"]`."""

import pytest

from companies.models import Partner
from partners.api import keys
from tests import factories


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
