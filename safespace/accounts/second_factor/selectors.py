"""Reads: who must use a second factor, what they have set up, and the devices they own.

Every device query is scoped to the person asking: nobody can reach another person's
authenticator app, passkey or recovery codes by guessing an id.
"""

import functools
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from groups.models import Coordinator, Membership
from groups.prepared import Prepared

# Why someone must use a second factor.
COORDINATOR = "coordinator"
ADMIN = "admin"
FACILITATOR = "facilitator"

# The kinds of factor, as they appear in URLs.
APP = "app"
PASSKEY = "passkey"
FACTOR_MODELS = {APP: TOTPDevice, PASSKEY: WebAuthnCredential}


@dataclass(frozen=True)
class Standing:
    """Where someone stands: has a factor set up, and why (if at all) they must."""

    has_factor: bool
    reasons: tuple[str, ...]

    @property
    def required(self) -> bool:
        return bool(self.reasons)


def _facts_about(user, facilitators, coordinators):
    """The query of `standing`: one row of yes/no facts about the person `user` (an id),
    its shape set by whether the site asks a second factor of every facilitator, and of
    coordinators."""
    mine = {"user": OuterRef("pk")}
    facilitates = Membership.objects.current().facilitators().filter(**mine)
    facts = {
        "has_app": Exists(TOTPDevice.objects.filter(confirmed=True, **mine)),
        "has_passkey": Exists(WebAuthnCredential.objects.filter(confirmed=True, **mine)),
        # Facilitators of any group, when the site asks it of all of them; else only those
        # in an organisation that asks it of its own.
        "facilitator": Exists(
            facilitates
            if facilitators
            else facilitates.filter(group__organisation__facilitators_need_second_factor=True)
        ),
    }
    if coordinators:
        facts["coordinator"] = Exists(Coordinator.objects.filter(**mine))
    return get_user_model().objects.filter(pk=user).values(**facts)[:1]


# Compiled once for each shape the setting gives (prepared.py): asked on every request.
_facts = {
    (facilitators, coordinators): Prepared(
        functools.partial(_facts_about, facilitators=facilitators, coordinators=coordinators),
        user=int,
    )
    for facilitators in (False, True)
    for coordinators in (False, True)
}


def standing(user) -> Standing:
    """One query, whatever the person's roles: the middleware asks it on every request
    of someone signed in but not yet verified."""
    required_for = set(settings.MFA_REQUIRED_FOR)
    shape = ("facilitators" in required_for, "coordinators" in required_for)
    row = _facts[shape].first(user=user.pk)
    if row is None:
        return Standing(has_factor=False, reasons=())
    reasons = []
    if row.get("coordinator"):
        reasons.append(COORDINATOR)
    if "admins" in required_for and (user.is_staff or user.is_superuser):
        reasons.append(ADMIN)
    if row["facilitator"]:
        reasons.append(FACILITATOR)
    return Standing(has_factor=row["has_app"] or row["has_passkey"], reasons=tuple(reasons))


@dataclass(frozen=True)
class Factor:
    kind: str
    pk: int
    created: datetime | None
    last_used: datetime | None


def factors_of(user) -> list[Factor]:
    """Someone's confirmed authenticator apps and passkeys, oldest first."""
    found = []
    for kind, model in FACTOR_MODELS.items():
        for pk, created, last_used in model.objects.filter(user=user, confirmed=True).values_list(
            "pk", "created_at", "last_used_at"
        ):
            found.append(Factor(kind=kind, pk=pk, created=created, last_used=last_used))
    return sorted(found, key=lambda f: (f.created is None, f.created, f.kind, f.pk))


def factors_for_user(user, kind: str):
    """The queryset a removal URL's device is looked up in: only the person's own."""
    return FACTOR_MODELS[kind].objects.filter(user=user, confirmed=True)


def apps_of(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True)


def has_passkey(user) -> bool:
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()


def pending_app(user) -> TOTPDevice | None:
    """The authenticator app someone has started to add and not yet confirmed with a code."""
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


def recovery_devices_of(user):
    return StaticDevice.objects.filter(user=user, confirmed=True)


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
