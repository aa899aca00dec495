import threading

import pytest
from django.db import connection

from candidates import services
from candidates.models import Candidate

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_simultaneous_registrations_with_the_same_email_make_one_candidate():
    barrier = threading.Barrier(6)
    errors = []

    def register(i):
        try:
            barrier.wait()
            services.candidate_register(data={"email": ["Same@Example.org", "same@example.org"][i % 2],
                                              "first_name": f"P{i}", "last_name": "Concurrent",
                                              "profile": "retraining"})
        except Exception as exc:  # noqa: BLE001 - any error fails the test below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(i,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Candidate.objects.filter(email__iexact="same@example.org").count() == 1


def test_simultaneous_sign_ups_and_erasures_sharing_name_words_keep_the_counts_right():
    """The words of names are counted by the database in shared rows: people signing up and erased at the same
    instant each leave their words counted once, and none of them fails."""
    from candidates.models import NameWord
    from candidates.services import candidate_erase
    from tests.concurrency import run_together

    erased = [Candidate.objects.create(first_name="Zoé", last_name="Vidal Roques", email=f"z{i}@example.org")
              for i in range(3)]
    counter = iter(range(100))

    def act():
        i = next(counter)
        if i < 3:
            return candidate_erase(candidate=Candidate.objects.get(pk=erased[i].pk))
        return services.candidate_register(data={"email": f"camille{i}@example.org", "first_name": "Camille",
                                                 "last_name": "Roques Vidal", "profile": "retraining"})

    results = run_together(act, times=10)
    assert not [r for r in results if isinstance(r, Exception)], results
    holders = dict(NameWord.objects.values_list("word", "holders"))
    assert (holders.get("camille"), holders.get("roques"), holders.get("vidal")) == (7, 7, 7)
    assert "zoe" not in holders
