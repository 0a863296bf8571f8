"""Slow down and then lock repeated failed sign-ins: per account, and per client address.

Two keys count each attempt:

- the **account**, keyed on the address exactly as signing in looks it up
  (`groups.models.normalise_email`, the function `UserManager.get_by_natural_key`
  uses), so no spelling of an address gets a fresh count. After
  SIGNIN_SLOW_AFTER failures each further failure makes the account wait a
  little longer (2, 4, 8… seconds); after SIGNIN_LOCK_AFTER failures it is locked
  for SIGNIN_LOCK_MINUTES.
- the **client address** (see `client_address`: behind TRUSTED_PROXY_COUNT
  proxies), which only slows down: the same waits, never longer than
  SIGNIN_ADDRESS_MAX_WAIT_SECONDS, and never a lock. Everyone behind one proxy
  or office network shares an address; failures with made-up emails from there
  must not lock out the people who sign in correctly.

An attempt is taken *before* the password is checked (`take_attempt`): in one
short transaction the rows are locked, a blocked key refuses the attempt
unevaluated, and otherwise the attempt is counted as a failure. Only a real
authentication (a user returned) then takes it back (`Attempt.succeeded`). So
N guesses at the same moment are counted one after another, and those past the
threshold are refused, not evaluated; a post that authenticates nobody is never
a success.

Keys are keyed hashes (HMAC-SHA256 with SECRET_KEY) of the normalised address and
of the client address: the table holds no personal data in clear, and a hash
cannot be looked up in a list of addresses without the key. The message is the
same whether or not the account exists. `forget_old` purges rows nobody has
touched for a day.
"""

import ipaddress
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from groups import audit
from groups.models import AuditEvent, normalise_email

from .models import SignInThrottle

# A key with no attempt for this long starts counting from nothing, and its row is purged.
FORGET_AFTER = timedelta(days=1)

_SALT = "safespace.accounts.throttle"


def _hash(kind: str, value: str) -> str:
    return salted_hmac(_SALT, f"{kind}:{value}", algorithm="sha256").hexdigest()


def account_key(email: str) -> str:
    return _hash("account", normalise_email(email))


def address_key(address: str) -> str:
    return _hash("address", address)


# The client address --------------------------------------------------------------------


def _client_network(value: str) -> str | None:
    """The address to count, or None if `value` is not an IP address.

    An IPv6 client usually holds a whole /64 and can pick any address in it, so
    that is what is counted. IPv4-mapped IPv6 addresses count as IPv4.
    """
    try:
        ip = ipaddress.ip_address(value)
    except ValueError:
        return None
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((int(ip) >> 64 << 64, 64)))
    return str(ip)


def client_address(request) -> str:
    """The client's address, trusting only the configured number of proxies.

    With TRUSTED_PROXY_COUNT = 0 (the default) it is REMOTE_ADDR and any
    X-Forwarded-For header is ignored: anyone can write one. With N trusted
    proxies each appends the address it saw, so the client is the Nth entry from
    the right; entries further left are the client's own to forge. A header
    with fewer entries, or an entry that is not an address, falls back to
    REMOTE_ADDR, which only slows everyone behind that proxy a little.
    """
    if request is None:
        return ""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    chosen = remote
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if len(forwarded) >= proxies:
            chosen = forwarded[-proxies]
    return _client_network(chosen) or _client_network(remote) or ""


# Attempts ----------------------------------------------------------------------------------


class Throttled(Exception):
    """This attempt is refused, unevaluated: a key must wait `wait` longer."""

    def __init__(self, wait: timedelta):
        super().__init__(wait)
        self.wait = wait


def _account_delay(failures: int) -> timedelta | None:
    if failures >= settings.SIGNIN_LOCK_AFTER:
        return timedelta(minutes=settings.SIGNIN_LOCK_MINUTES)
    if failures >= settings.SIGNIN_SLOW_AFTER:
        return timedelta(seconds=2 ** min(failures - settings.SIGNIN_SLOW_AFTER + 1, 20))
    return None


def _address_delay(failures: int) -> timedelta | None:
    if failures >= settings.SIGNIN_SLOW_AFTER:
        seconds = 2 ** min(failures - settings.SIGNIN_SLOW_AFTER + 1, 20)
        return timedelta(seconds=min(seconds, settings.SIGNIN_ADDRESS_MAX_WAIT_SECONDS))
    return None


def _locked_rows(keys: list[str]) -> list[SignInThrottle]:
    """The rows of these keys, locked, always in key order (so two attempts cannot
    deadlock). Only inside a transaction."""
    return list(SignInThrottle.objects.select_for_update().filter(key__in=keys).order_by("key"))


@dataclass(frozen=True)
class Attempt:
    """A sign-in attempt, already counted as a failure."""

    account: str
    address: str

    def succeeded(self) -> None:
        """A user was authenticated: clear the account's count and take this attempt
        back from the address's, so sign-ins that work never slow anyone down."""
        with transaction.atomic():
            for row in _locked_rows([self.account, self.address]):
                if row.key == self.account:
                    row.delete()
                    continue
                row.failures = max(0, row.failures - 1)
                if row.failures < settings.SIGNIN_SLOW_AFTER:
                    row.blocked_until = None
                if row.failures == 0:
                    row.delete()
                else:
                    row.save(update_fields=["failures", "blocked_until", "updated"])


def take_attempt(email: str, address: str) -> Attempt:
    """Count an attempt to sign in to `email` from `address`, before any password is
    checked; raise Throttled, counting nothing, if either key must still wait.

    One short transaction: it locks both rows (creating them if need be), so
    simultaneous attempts are counted one at a time and see each other's counts.
    """
    account, address_ = account_key(email), address_key(address)
    keys = sorted([account, address_])
    now = timezone.now()
    with transaction.atomic():
        SignInThrottle.objects.bulk_create(
            [SignInThrottle(key=key) for key in keys], ignore_conflicts=True
        )
        rows = _locked_rows(keys)
        waits = [
            row.blocked_until - now for row in rows if row.blocked_until and row.blocked_until > now
        ]
        if waits:
            raise Throttled(max(waits))
        for row in rows:
            if row.failures and row.updated and now - row.updated > FORGET_AFTER:
                row.failures = 0
            row.failures += 1
            delay = (_account_delay if row.key == account else _address_delay)(row.failures)
            row.blocked_until = now + delay if delay else None
            row.save(update_fields=["failures", "blocked_until", "updated"])
    return Attempt(account=account, address=address_)


def forget_old(now=None) -> int:
    """Delete the rows nobody has tried for FORGET_AFTER (and that block nothing now).
    Returns how many went. For the housekeeping command."""
    now = now or timezone.now()
    deleted, _by_model = (
        SignInThrottle.objects.filter(updated__lt=now - FORGET_AFTER)
        .exclude(blocked_until__gt=now)
        .delete()
    )
    return deleted


@transaction.atomic
def note_failure(email: str) -> None:
    """Put a failed sign-in on the audit trail: the account it named, if there is one (never
    the address typed, which may be someone's mistyped password or another person's)."""
    account = get_user_model().objects.filter(email=normalise_email(email)).first()
    audit.record(AuditEvent.Action.SIGN_IN_FAILED, subject=account)
