"""A full recompute's time counts everything up to its commit, where PostgreSQL checks each written row's
foreign keys (deferred): for a first fill of 1.7M rows that is about 14 s the computation alone hides."""

import pytest

from matching import services
from matching.models import MatchingRun
from tests import factories


@pytest.mark.django_db
def test_the_time_of_a_full_recompute_counts_what_happens_after_the_rows_are_written(monkeypatch):
    factories.JobPostingFactory(title="Développeuse Django", city="Toulouse")
    factories.CandidateFactory(mobility_toulouse=True)
    MatchingRun.objects.create(pk=1)  # the engine's state row exists, as after the first run
    clock = [1000.0]
    monkeypatch.setattr(services.time, "monotonic", lambda: clock[0])
    real_save = MatchingRun.save

    def slow_end(self, *args, **kwargs):
        real_save(self, *args, **kwargs)
        clock[0] += 5.0  # the end of the transaction: the commit and its checks

    monkeypatch.setattr(MatchingRun, "save", slow_end)
    result = services.matches_recompute_all()
    assert result.seconds == 5.0
    assert MatchingRun.objects.get().last_full_seconds == 5.0
