"""Guesses at the same moment: each attempt is taken before its password is checked,
so guesses past the threshold are refused, not evaluated, however many arrive at once.

On PostgreSQL, threads with their own connections post to the sign-in page together
(tests/concurrency.py). On SQLite, a separate process signs in from many threads
against a real database file, as the demo does, and no request may fail.
"""

import json
import os
import subprocess
import sys
import textwrap
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.backends import ModelBackend
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from safespace.accounts.models import SignInThrottle
from tests.builders import make_user
from tests.concurrency import run_together

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct-horse-battery"
WRONG = "not-the-password"
TOO_MANY = b"Too many attempts to sign in."
THROTTLE = {
    "SIGNIN_SLOW_AFTER": 3,
    "SIGNIN_LOCK_AFTER": 10,
    "SIGNIN_LOCK_MINUTES": 15,
    "SIGNIN_ADDRESS_MAX_WAIT_SECONDS": 60,
    "TRUSTED_PROXY_COUNT": 0,
}


@pytest.fixture
def checked(monkeypatch):
    """The addresses whose password was actually checked, one entry per check."""
    calls = []
    lock = threading.Lock()
    real = ModelBackend.authenticate

    def counting(self, request, username=None, password=None, **kwargs):
        with lock:
            calls.append(username)
        return real(self, request, username=username, password=password, **kwargs)

    monkeypatch.setattr(ModelBackend, "authenticate", counting)
    return calls


def guess(email, password, address):
    def job():
        client = Client()
        response = client.post(
            reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=address
        )
        return response.status_code, TOO_MANY in response.content, "_auth_user_id" in client.session

    return job


def fail_sequentially(email, times):
    """`times` failures one after another, each from its own address, waiting out each wait."""
    client = Client()
    for n in range(times):
        SignInThrottle.objects.update(blocked_until=timezone.now() - timedelta(seconds=1))
        client.post(
            reverse("login"), {"username": email, "password": WRONG}, REMOTE_ADDR=f"10.99.0.{n}"
        )
    SignInThrottle.objects.update(blocked_until=timezone.now() - timedelta(seconds=1))


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
class TestOnPostgreSQL:
    @override_settings(**THROTTLE)
    def test_twelve_guesses_at_the_lock_threshold_check_one_password(self, checked):
        make_user("Pat Peer", "peer@a.test")
        fail_sequentially("peer@a.test", 9)
        checked.clear()

        results = run_together(
            **{f"guess{n}": guess("peer@a.test", WRONG, f"10.1.0.{n}") for n in range(12)}
        )

        assert [error for _value, error in results.values() if error] == []
        statuses = [value for value, _error in results.values()]
        assert all(status == 200 for status, _refused, _in in statuses)
        assert checked == ["peer@a.test"]  # the tenth guess; the other eleven refused unheard
        assert sum(refused for _status, refused, _in in statuses) == 11
        account = SignInThrottle.objects.get(failures=10)
        assert account.blocked_until - timezone.now() > timedelta(minutes=14)

    @override_settings(**{**THROTTLE, "SIGNIN_LOCK_AFTER": 3})
    def test_twelve_guesses_at_a_fresh_account_check_no_more_than_the_threshold(self, checked):
        make_user("Pat Peer", "peer@a.test")
        jobs = {f"guess{n}": guess("PEER@a.test", WRONG, f"10.2.0.{n}") for n in range(6)}
        jobs.update({f"wide{n}": guess("ｐeer@a.test", WRONG, f"10.2.1.{n}") for n in range(6)})

        results = run_together(**jobs)

        assert [error for _value, error in results.values() if error] == []
        assert len(checked) == 3
        assert sorted(SignInThrottle.objects.values_list("failures", flat=True))[-1] == 3

    @override_settings(**THROTTLE)
    def test_the_right_password_at_once_from_everywhere_does_not_open_a_locked_account(
        self, checked
    ):
        make_user("Pat Peer", "peer@a.test")
        fail_sequentially("peer@a.test", 10)
        SignInThrottle.objects.filter(failures=10).update(
            blocked_until=timezone.now() + timedelta(minutes=15)
        )
        checked.clear()

        results = run_together(
            **{f"guess{n}": guess("peer@a.test", PASSWORD, f"10.3.0.{n}") for n in range(12)}
        )

        assert [error for _value, error in results.values() if error] == []
        assert checked == []
        assert not any(signed_in for (_s, _r, signed_in), _e in results.values())

    @override_settings(**THROTTLE)
    def test_guesses_at_many_accounts_from_one_address_at_once_are_slowed(self, checked):
        jobs = {f"guess{n}": guess(f"made-up-{n}@a.test", WRONG, "10.4.0.1") for n in range(12)}

        results = run_together(**jobs)

        assert [error for _value, error in results.values() if error] == []
        assert len(checked) == 3
        assert sum(refused for (_s, refused, _i), _e in results.values()) == 9

    @override_settings(**THROTTLE)
    def test_right_and_wrong_passwords_together_never_deadlock(self, checked):
        make_user("Pat Peer", "peer@a.test")
        jobs = {}
        for n in range(12):
            password = PASSWORD if n % 2 else WRONG
            jobs[f"guess{n}"] = guess("peer@a.test", password, f"10.5.0.{n % 3}")

        results = run_together(**jobs)

        assert [error for _value, error in results.values() if error] == []
        assert all(status in (200, 302) for (status, _r, _i), _e in results.values())


# SQLite: a real database file, many threads, no server errors -----------------------------

SCRIPT = textwrap.dedent(
    """
    import json, threading
    import django
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from groups.models import User

    call_command("migrate", verbosity=0)
    User.objects.create_user("peer@a.test", "correct-horse-battery", display_name="Pat")
    options = connection.settings_dict["OPTIONS"]
    connection.close()

    start = threading.Barrier(12)
    results = {}

    def worker(n):
        try:
            client = Client(raise_request_exception=True)
            client.get("/accounts/login/")  # connected, and the session table read
            start.wait(timeout=30)
            password = "correct-horse-battery" if n % 4 == 0 else "wrong-%d" % n
            response = client.post(
                "/accounts/login/",
                {"username": "peer@a.test", "password": password},
                REMOTE_ADDR="10.6.0.%d" % (n % 3),
            )
            results[n] = response.status_code
        except Exception as error:
            results[n] = repr(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    print(json.dumps({"options": options, "results": results}))
    """
)

SLOW_HASHING = """\
from safespace.settings_test import *  # noqa: F403

# The real hasher: checking a password takes time, as it does for an attacker.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
"""


@pytest.mark.skipif(sys.platform == "win32", reason="a POSIX path for the database file")
def test_simultaneous_sign_ins_on_sqlite_never_fail(tmp_path):
    (tmp_path / "sqlite_settings.py").write_text(SLOW_HASHING)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "PYTHONPATH": f"{tmp_path}{os.pathsep}{ROOT}",
        "DJANGO_SETTINGS_MODULE": "sqlite_settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["options"]["transaction_mode"] == "IMMEDIATE"
    assert len(report["results"]) == 12
    assert set(report["results"].values()) <= {200, 302}, report["results"]
