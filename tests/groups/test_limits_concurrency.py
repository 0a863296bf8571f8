"""Send limits hold when many app servers count at the same moment (real PostgreSQL)."""

import pytest

from groups import limits
from groups.models import SendQuota
from tests.concurrency import run_together

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def test_twelve_reminders_pressed_at_once_send_one():
    def press(sender):
        return lambda: limits.take("reminder", subject="round:1", sender=sender)

    results = run_together(**{f"leader{n}": press(n) for n in range(12)})

    errors = [error for _value, error in results.values() if error is not None]
    assert len(errors) == 11
    assert all(isinstance(error, limits.LimitReached) for error in errors)
    assert sorted(SendQuota.objects.values_list("count", flat=True)) == [1] * 2


def test_many_invitations_to_one_address_at_once_stop_at_the_limit():
    def send(n):
        return lambda: limits.take("invitation", sender=n, recipient="target@else.test")

    results = run_together(**{f"sender{n}": send(n) for n in range(8)})

    sent = [name for name, (_value, error) in results.items() if error is None]
    assert len(sent) == 3
