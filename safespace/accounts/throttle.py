"""Slow down and then lock repeated failed sign-ins, per account and per address.

Keys are SHA-256 hashes of the email address and of the client address, so the
table holds no personal data in clear. After SIGNIN_SLOW_AFTER failures each
further failure makes the key wait a little longer (2, 4, 8… seconds); after
SIGNIN_LOCK_AFTER failures it is locked for SIGNIN_LOCK_MINUTES. The message is
the same whether or not the account exists.
"""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import SignInThrottle

FORGET_AFTER = timedelta(days=1)


def _keys(email: str, address: str) -> list[str]:
    raw = [f"account:{(email or '').strip().lower()}", f"address:{address or ''}"]
    salt = settings.SECRET_KEY.encode()
    return [hashlib.sha256(salt + item.encode()).hexdigest() for item in raw]


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") if request is not None else ""


def wait_remaining(email: str, address: str) -> timedelta | None:
    """How long this account or address must still wait, or None."""
    now = timezone.now()
    until = (
        SignInThrottle.objects.filter(key__in=_keys(email, address), blocked_until__gt=now)
        .order_by("-blocked_until")
        .values_list("blocked_until", flat=True)
        .first()
    )
    return until - now if until else None


def _delay_for(failures: int) -> timedelta | None:
    if failures >= settings.SIGNIN_LOCK_AFTER:
        return timedelta(minutes=settings.SIGNIN_LOCK_MINUTES)
    if failures >= settings.SIGNIN_SLOW_AFTER:
        return timedelta(seconds=2 ** (failures - settings.SIGNIN_SLOW_AFTER + 1))
    return None


@transaction.atomic
def record_failure(email: str, address: str) -> None:
    now = timezone.now()
    for key in _keys(email, address):
        row, _created = SignInThrottle.objects.select_for_update().get_or_create(key=key)
        if row.updated and now - row.updated > FORGET_AFTER:
            row.failures = 0
        row.failures += 1
        delay = _delay_for(row.failures)
        row.blocked_until = now + delay if delay else None
        row.save()


def record_success(email: str, address: str) -> None:
    account_key = _keys(email, address)[0]
    SignInThrottle.objects.filter(key=account_key).delete()
