import datetime as dt

import pytest
from django.utils import timezone

from prospecting.models import Meeting, Prospect, ProspectingCampaign

from .. import factories


@pytest.fixture
def campaign(db):
    return ProspectingCampaign.objects.create(name="Computex Taipei", countries=["TW"], cities="Taipei",
                                              trade_fairs="Computex", starts_on=dt.date(2026, 5, 30),
                                              ends_on=dt.date(2026, 6, 3), budget=12000)


@pytest.fixture
def prospect(prospecting_officer, campaign):
    return factories.ProspectFactory(name="Ubiik", country="TW", city="Taipei", owner=prospecting_officer,
                                     campaign=campaign)


def past_meeting(prospect, **kwargs) -> Meeting:
    defaults = {"starts_at": timezone.now() - dt.timedelta(days=2), "place": "Taipei 101",
                "officer": prospect.owner, "campaign": prospect.campaign}
    return Meeting.objects.create(prospect=prospect, **(defaults | kwargs))


Stage = Prospect.Stage
