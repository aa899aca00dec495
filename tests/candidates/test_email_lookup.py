"""A person is found by e-mail whatever its case, through the unique index on lower(email)."""

import pytest
from django.db import connection

from candidates.models import Candidate
from tests import factories
from tests.plans import fresh_indexes, living_crowd

pytestmark = pytest.mark.django_db


def test_the_address_is_found_whatever_its_case_and_spaces():
    person = factories.CandidateFactory(email="Helene.Dupont@Example.org")
    factories.CandidateFactory(email="")
    assert list(Candidate.objects.with_email("  helene.dupont@EXAMPLE.org ")) == [person]
    assert not Candidate.objects.with_email("").exists()  # people met by phone alone share no address


@pytest.mark.postgres
def test_the_lookup_reads_the_unique_index_instead_of_the_table():
    factories.CandidateFactory(email="helene.dupont@example.org")
    living_crowd()
    fresh_indexes()
    with connection.cursor() as cursor:
        # On a small table the planner reads it whole, or walks another index filtering as it goes: forbid
        # both to see which index the lookup itself can use.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
    plan = Candidate.objects.with_email("Helene.Dupont@example.org").filter(anonymised_at__isnull=True).explain()
    assert "candidate_email_ci_unique" in plan, plan
