"""The same code sent many times at once, on a real PostgreSQL server: it works once.

Each device is locked (SELECT … FOR UPDATE) while a code is checked against it, so a
request racing another with the same TOTP code or recovery code sees what the first
one did (`last_t` moved on, the recovery code gone).
"""

import pytest

from safespace.accounts.second_factor import services
from tests.builders import make_user
from tests.concurrency import run_together

from .second_factor import code_for, give_app, give_recovery_codes

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

RACERS = 8


def race(user, code):
    results = run_together(
        **{f"racer-{n}": (lambda: services.verify_code(user, code).ok) for n in range(RACERS)}
    )
    assert all(error is None for _value, error in results.values()), results
    return sorted(value for value, _error in results.values())


def test_a_totp_code_sent_many_times_at_once_works_once():
    user = make_user("Racing Coordinator")
    device = give_app(user)
    assert race(user, code_for(device)) == [False] * (RACERS - 1) + [True]


def test_a_recovery_code_sent_many_times_at_once_works_once():
    user = make_user("Racing Coordinator")
    give_recovery_codes(user, codes=["aaaabbbb"])
    assert race(user, "aaaabbbb") == [False] * (RACERS - 1) + [True]
