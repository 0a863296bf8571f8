"""Running jobs at the same moment against the real database, for concurrency tests."""

import threading
import time

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


def linger_after(monkeypatch, module, name: str, seconds=0.5) -> list:
    """Patch `module.name` (a check a service makes with its rows locked) so the first
    thread to pass it waits, its locks held, before it writes: the other arrives while
    the first has checked and not yet written. Returns the threads' names, in the order
    they passed the check."""
    real = getattr(module, name)
    passed = []
    guard = threading.Lock()

    def check_then_linger(*args, **kwargs):
        result = real(*args, **kwargs)
        with guard:
            me_first = not passed
            passed.append(threading.current_thread().name)
        if me_first:
            time.sleep(seconds)
        return result

    monkeypatch.setattr(module, name, check_then_linger)
    return passed


def opened_by(people: dict, url: str):
    """Each person signed in in a client of their own, with `url` opened: ({name: client},
    {name: the stamp its form carries})."""
    from django.test import Client

    from tests.pages import base_of

    clients, bases = {}, {}
    for name, person in people.items():
        clients[name] = Client()
        clients[name].force_login(person)
        bases[name] = base_of(clients[name].get(url))
    return clients, bases


def one_saved_one_refused(results) -> dict:
    """Both requests answered without an error, one saved (302) and one refused with the
    conflict page (409). Returns {name: status code}."""
    for name, (_response, error) in results.items():
        assert error is None, (name, error)
    statuses = {name: response.status_code for name, (response, _e) in results.items()}
    assert sorted(statuses.values()) == [302, 409], statuses
    return statuses
