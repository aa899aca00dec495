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
