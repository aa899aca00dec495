"""Several threads doing the same thing at the same instant, as workers or desks racing on PostgreSQL."""

import threading

from django.db import connection


def run_together(func, times=2):
    """Run `func` in `times` threads released at once; return what each returned or raised."""
    barrier = threading.Barrier(times)
    results = []

    def worker():
        try:
            barrier.wait()
            results.append(func())
        except Exception as exc:  # the test inspects it
            results.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
