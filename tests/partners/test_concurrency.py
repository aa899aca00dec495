"""Two clicks at once: one referral, one registration, on PostgreSQL's locks and constraints."""

import pytest

from candidates.models import Candidate
from partners import services
from partners.models import Member, Referral
from tests.concurrency import run_together

from .conftest import service_data


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_organisation_referring_the_same_person_twice_at_once_makes_one_referral(member_a):
    member = Member.objects.select_related("user", "partner").get(pk=member_a.pk)
    results = run_together(lambda: services.referral_create(member=member, data=service_data()), times=3)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert Referral.objects.count() == 1
    assert sorted(known for _referral, known in results) == [False, True, True]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_person_confirming_twice_at_once_gets_one_registration(member_a):
    referral, _known = services.referral_create(member=member_a, data=service_data())
    data = {"first_name": "Inès", "last_name": "Benali", "phone": "", "postcode": "31200", "city": "Toulouse",
            "profile": "retraining", "experience": "none", "contract_wanted": "any"}

    def accept():
        return services.referral_accept_registration(referral=Referral.objects.get(pk=referral.pk), data=data)

    results = run_together(accept, times=2)
    assert len([r for r in results if isinstance(r, Candidate)]) == 1
    assert all(isinstance(r, (Candidate, services.PartnerError)) for r in results), results
    assert Candidate.objects.count() == 1
    referral.refresh_from_db()
    assert referral.candidate == Candidate.objects.get() and referral.linked_at
