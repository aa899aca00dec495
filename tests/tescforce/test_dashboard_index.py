"""The dashboard's counts of a year's registrations can be read from the candidates' date index alone
(PostgreSQL; tests/plans.py says why the test reads the columns rather than the planner's pick)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from candidates.models import Candidate, StageChange
from tescforce.site import dashboard
from tests import factories
from tests.plans import columns_read, index_columns, scan_conditions

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_the_counts_by_campaign_read_only_columns_of_the_date_index():
    campaign = factories.CampaignFactory()
    person = factories.CandidateFactory(profile="retraining", gender="female", source_campaign=campaign)
    factories.CandidateFactory()
    # Qualified, then withdrawn: counted at "qualified" through the history.
    StageChange.objects.create(candidate=person, from_stage="registered", to_stage="qualified")
    Candidate.objects.filter(pk=person.pk).update(stage="withdrawn")
    filters = dashboard.Filters(year=timezone.localdate().year)
    with CaptureQueriesContext(connection) as queries:
        rows = dashboard._by_campaign(filters)
    assert {(r["source_campaign__name"], r["n"], r["qualified"]) for r in rows} >= {(campaign.name, 1, 1)}

    index = index_columns("candidate_created_cover_idx")
    assert index[:2] == ["created_at", "id"]
    scans = [columns_read(q["sql"], "candidates_candidate") for q in queries.captured_queries
             if "candidates_candidate" in q["sql"]]
    assert len(scans) == 2  # the counts, and the stages reached through the history
    assert {"created_at", "profile", "gender", "from_other_region", "stage", "source_campaign_id"} <= scans[0]
    for read in scans:
        assert read <= set(index), (read, index)


def test_every_read_of_the_candidates_for_the_history_is_bounded_by_the_year():
    """The history's join to its candidates says the year again: read from the date index, not the whole table."""
    person = factories.CandidateFactory()
    StageChange.objects.create(candidate=person, from_stage="registered", to_stage="qualified")
    Candidate.objects.filter(pk=person.pk).update(stage="withdrawn")
    filters = dashboard.Filters(year=timezone.localdate().year)
    with CaptureQueriesContext(connection) as queries:
        rows = dashboard._by_campaign(filters)
    assert sum(r["qualified"] for r in rows) == 1
    history = next(q["sql"] for q in queries.captured_queries if "candidates_stagechange" in q["sql"])
    conditions = scan_conditions(history, "candidates_candidate")
    assert len(conditions) == 2  # the year's candidates, and the join for their stage, campaign and month
    for condition in conditions:
        assert "created_at" in condition, condition
