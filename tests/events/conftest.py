import datetime as dt

import pytest
from django.utils import timezone

from tests import factories


@pytest.fixture
def session(db):
    return factories.SessionFactory(title="Job dating Toulouse", city="Toulouse", capacity=2,
                                    address="1 place du Capitole", postcode="31000")


@pytest.fixture
def past_session(db):
    start = timezone.now() - dt.timedelta(days=2)
    return factories.SessionFactory(starts_at=start, ends_at=start + dt.timedelta(hours=3))


@pytest.fixture
def make_candidate(db):
    def make(**kwargs):
        return factories.CandidateFactory(**kwargs)

    return make
