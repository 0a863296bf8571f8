"""Changes to someone's second factor, each in one transaction.

Codes are checked by django-otp's devices, which keep its protections: a TOTP code
is accepted once (`last_t`, the time step of the last code used, only moves on), a
recovery code is deleted as it is used, and each wrong code makes the next try on
that device wait twice as long (1, 2, 4, 8… seconds; `ThrottlingMixin`). Devices
are locked while a code is checked, so two requests racing the same code cannot
both succeed.
"""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from groups import audit
from groups.models import AuditEvent

from . import selectors

RECOVERY_CODE_COUNT = 10
APP_CODE_DIGITS = 6


@dataclass(frozen=True)
class Attempt:
    """The result of checking a code: the device that took it, or when to try again."""

    device: object | None = None
    wait_until: datetime | None = None

    @property
    def ok(self) -> bool:
        return self.device is not None


class LastFactorError(Exception):
    """Someone who must use a second factor tried to remove their only one."""


def normalise_code(code: str) -> str:
    """What people type or paste: spaces and dashes dropped, letters in lower case."""
    return "".join(ch for ch in (code or "") if ch not in " -\t\n").lower()


def looks_like_app_code(code: str) -> bool:
    return len(code) == APP_CODE_DIGITS and code.isdigit()


def _lock_person(user):
    return get_user_model().objects.select_for_update().get(pk=user.pk)


def _check(devices, code) -> Attempt:
    """Try `code` on each of `devices` (locked), unless a throttle says wait."""
    waits = []
    for device in devices:
        allowed, details = device.verify_is_allowed()
        if not allowed:
            waits.append((details or {}).get("locked_until") or timezone.now())
    if waits:
        return Attempt(wait_until=max(waits))
    for device in devices:
        if device.verify_token(code):
            return Attempt(device=device)
    return Attempt()


def verify_code(user, code: str) -> Attempt:
    """Check a code from an authenticator app (6 digits) or a recovery code."""
    code = normalise_code(code)
    with transaction.atomic():
        if looks_like_app_code(code):
            devices = selectors.apps_of(user)
        else:
            devices = selectors.recovery_devices_of(user)
        return _check(list(devices.select_for_update().order_by("pk")), code)


@transaction.atomic
def start_app(user) -> TOTPDevice:
    """A new authenticator app, with a fresh secret, that counts once confirmed by a code.
    Any app started earlier and never confirmed is dropped (its secret was shown once)."""
    _lock_person(user)
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def confirm_app(user, code: str) -> Attempt:
    """Confirm the app someone started with a code from it: then it counts as a factor."""
    code = normalise_code(code)
    with transaction.atomic():
        pending = list(
            TOTPDevice.objects.filter(user=user, confirmed=False)
            .select_for_update()
            .order_by("-pk")[:1]
        )
        if not pending or not looks_like_app_code(code):
            # Wrong shape: still a failed try for the throttle.
            for device in pending:
                device.throttle_increment()
            return Attempt()
        attempt = _check(pending, code)
        if attempt.ok:
            device = attempt.device
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            audit.record(
                AuditEvent.Action.SECOND_FACTOR_ADDED, actor=user, target="Authenticator app"
            )
        return attempt


@transaction.atomic
def note_passkey_added(user) -> None:
    audit.record(AuditEvent.Action.SECOND_FACTOR_ADDED, actor=user, target="Passkey")


@transaction.atomic
def make_recovery_codes(user) -> list[str]:
    """New recovery codes: every earlier one stops working. Shown once, by the caller."""
    _lock_person(user)
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = set()
    while len(codes) < RECOVERY_CODE_COUNT:
        codes.add(StaticToken.random_token())
    codes = sorted(codes)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    audit.record(AuditEvent.Action.RECOVERY_CODES_MADE, actor=user)
    return codes


@transaction.atomic
def remove_factor(user, device, *, required: bool) -> int:
    """Remove one of someone's apps or passkeys; returns how many they have left.

    Someone who must use a second factor cannot remove their last one (LastFactorError).
    With no factor left, their recovery codes go too: they belong to the factor.
    """
    _lock_person(user)
    left = 0
    for model in selectors.FACTOR_MODELS.values():
        theirs = model.objects.filter(user=user, confirmed=True)
        if isinstance(device, model):
            theirs = theirs.exclude(pk=device.pk)
        left += theirs.count()
    if not left and required:
        raise LastFactorError
    kind = "Passkey" if isinstance(device, WebAuthnCredential) else "Authenticator app"
    device.delete()
    if not left:
        StaticDevice.objects.filter(user=user).delete()
    audit.record(AuditEvent.Action.SECOND_FACTOR_REMOVED, actor=user, target=kind)
    return left


@transaction.atomic
def reset_second_factor(user) -> int:
    """For a site admin, when someone has lost their device and their recovery codes:
    remove every app, passkey and recovery code, and end every session of theirs. At
    their next sign-in they set a second factor up again (if they must use one).
    Returns how many devices were removed."""
    _lock_person(user)
    removed = 0
    for model in (TOTPDevice, WebAuthnCredential, StaticDevice):
        removed += model.objects.filter(user=user).count()
        model.objects.filter(user=user).delete()
    end_sessions_of(user)
    audit.record(
        AuditEvent.Action.SECOND_FACTOR_REMOVED, subject=user, target="Every factor (reset)"
    )
    return removed


def end_sessions_of(user) -> None:
    """Delete the person's sessions (database sessions, SafeSpace's session engine)."""
    mine = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get("_auth_user_id") == str(user.pk)
    ]
    Session.objects.filter(pk__in=mine).delete()
