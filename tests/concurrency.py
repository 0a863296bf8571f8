"""Running jobs at the same moment against the real database, for concurrency tests."""

import threading

from django.db import connection


def run_together(**jobs):
    """Run each job in its own thread (named after its key), all released at once.

    Each thread has its own database connection, closed at the end.
    Returns {name: (value, error)}.
    """
    start = threading.Barrier(len(jobs))
    results = {}

    def worker(name, job):
        try:
            connection.ensure_connection()  # connect first, so the start is really together
            start.wait(timeout=10)
            results[name] = (job(), None)
        except Exception as error:  # noqa: BLE001 - reported to the test
            results[name] = (None, error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=item, name=item[0]) for item in jobs.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
        assert not thread.is_alive(), "a thread is stuck (deadlock?)"
    return results
