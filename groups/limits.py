"""Limits on what anyone can make SafeSpace send: invitations, password resets, reminders,
private messages.

Each kind of email has limits per sender and per recipient (or per client address),
counted in the database in fixed windows, so every app server sees the same counts.
A send takes one from every limit that applies, or from none: `take()` raises
`LimitReached` (with a plain message) and counts nothing when any one is used up.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from .models import SendQuota

HOUR, DAY = timedelta(hours=1), timedelta(days=1)


@dataclass(frozen=True)
class Limit:
    scope: str  # which argument of take() it counts: "sender", "recipient", "address", "subject"
    most: int
    per: timedelta


# kind: its limits, and what to say when one is reached.
DEFAULT_LIMITS = {
    "invitation": (
        [Limit("sender", 30, HOUR), Limit("sender", 100, DAY), Limit("recipient", 3, DAY)],
        _(
            "Too many invitations have been sent from your account or to this address "
            "recently. Please try again later."
        ),
    ),
    "password_reset": (
        [Limit("recipient", 3, HOUR), Limit("address", 20, HOUR)],
        _("Too many password reset emails have been asked for. Please try again in an hour."),
    ),
    "concern": (
        [Limit("sender", 5, HOUR), Limit("sender", 20, DAY)],
        _(
            "You have sent several private messages recently, and they have all been "
            "delivered. Please wait a little before sending another. If you need help now, "
            "see “Get help now” at the top of the page."
        ),
    ),
    "reminder": (
        [Limit("subject", 1, DAY), Limit("sender", 10, DAY)],
        _(
            "A reminder has already been sent today. People get one reminder a day at most: "
            "please try again tomorrow."
        ),
    ),
}


class LimitReached(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def _limits():
    return getattr(settings, "SEND_LIMITS", None) or DEFAULT_LIMITS


def _key(kind, limit, value) -> str:
    raw = f"{kind}:{limit.scope}:{limit.per.total_seconds()}:{value}"
    return salted_hmac("safespace.limits", raw, algorithm="sha256").hexdigest()


def _window(now: datetime, per: timedelta) -> datetime:
    seconds = int(per.total_seconds())
    return datetime.fromtimestamp(int(now.timestamp()) // seconds * seconds, tz=now.tzinfo)


def _take_one(key, start, most) -> bool:
    """One more in this window, if there is room; atomic on both databases."""
    if SendQuota.objects.filter(key=key, window_start=start, count__lt=most).update(
        count=F("count") + 1, updated=timezone.now()
    ):
        return True
    if most < 1 or SendQuota.objects.filter(key=key, window_start=start).exists():
        return False
    try:
        with transaction.atomic():
            SendQuota.objects.create(key=key, window_start=start, count=1)
        return True
    except IntegrityError:  # someone else made the row at the same moment: count in it
        return bool(
            SendQuota.objects.filter(key=key, window_start=start, count__lt=most).update(
                count=F("count") + 1, updated=timezone.now()
            )
        )


def take(kind, **who) -> None:
    """Count one `kind` email against every limit that applies to `who` (sender=,
    recipient=, address=, subject=), or raise LimitReached and count nothing."""
    limits, message = _limits()[kind]
    now = timezone.now()
    with transaction.atomic():
        for limit in limits:
            value = who.get(limit.scope)
            if value in (None, ""):
                continue
            key = _key(kind, limit, str(value).strip().lower())
            if not _take_one(key, _window(now, limit.per), limit.most):
                raise LimitReached(message)


def forget_old(now=None) -> int:
    """Delete counts whose window ended more than a day ago (none lasts longer)."""
    now = now or timezone.now()
    deleted, _by_model = SendQuota.objects.filter(window_start__lt=now - 2 * DAY).delete()
    return deleted
