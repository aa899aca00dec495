"""The scoping registry: the rooms' registrations add up to the one table of who sees what, deny by default."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from hotline.models import HotlineCall
from tescforce import scoping

# Changing a line here changes what recruiters see: docs/privacy.md says which candidates, and why.
WHO_SEES_WHAT = {
    "candidates.candidate": ["candidates.chosen", "matching.matched"],
    "candidates.jobinterest": "posting__company",
    "candidates.orientation": "company",
    "companies.company": "pk",
    "companies.companysite": "company",
    "companies.jobfamily": "unscoped",
    "companies.jobposting": "company",
    "companies.recruiter": "company",
    "companies.skill": "unscoped",
    "events.edition": "unscoped",
    "events.programme": "unscoped",
    "events.session": "unscoped",
    "events.sessioncompany": "company",
    "matching.interview": "company",
    "matching.match": "posting__company",
    "matching.scorecard": "interview__company",
    "matching.sheetlink": "company",
}


def test_the_rooms_register_exactly_the_table_of_who_sees_what():
    assert scoping.table() == WHO_SEES_WHAT


@pytest.mark.parametrize("register", [
    lambda: scoping.register_path("events.session", "company"),
    lambda: scoping.register_unscoped("candidates.candidate"),
    lambda: scoping.register_rule("companies.jobposting", "other", lambda company_id: None),
])
def test_a_model_is_scoped_one_way_only(register):
    with pytest.raises(ImproperlyConfigured):
        register()
    assert scoping.table() == WHO_SEES_WHAT


@pytest.mark.django_db
def test_a_recruiter_sees_nothing_of_a_model_no_room_registered(recruiter_a, coordinator, candidate):
    HotlineCall.objects.create(candidate=candidate, topic="other", summary="Appel")
    assert not scoping.scope_queryset(HotlineCall.objects.all(), recruiter_a).exists()
    assert scoping.scope_queryset(HotlineCall.objects.all(), coordinator).count() == 1
