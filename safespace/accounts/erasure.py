"""Deleting someone's account, everywhere, in one transaction.

Every app forgets its part (groups.erasure, groundrules.services.forget_member,
venues.services.forget_member); then the second factor and the sessions go. Afterwards
neither the person's display name nor their email address is anywhere in the database
(tests/accounts/test_erasure.py dumps it whole to check). What the groups keep is credited
to "a former member": see docs/architecture.md, "Deleting an account".
"""

from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from groundrules import services as rule_services
from groups import audit
from groups.erasure import forget_person
from groups.models import AuditEvent
from groups.selectors import organisations_only_coordinated_by
from venues import services as venue_services

from .models import DownloadLink


class SuccessorNeeded(Exception):
    """The person is the only coordinator of these organisations."""

    def __init__(self, organisations):
        super().__init__("successor needed")
        self.organisations = organisations


@transaction.atomic
def erase_account(user) -> None:
    get_user_model().objects.select_for_update().get(pk=user.pk)
    alone = list(organisations_only_coordinated_by(user))
    if alone:
        raise SuccessorNeeded(alone)
    rule_services.forget_member(user)
    venue_services.forget_member(user)
    for model in (TOTPDevice, StaticDevice, WebAuthnCredential):
        model.objects.filter(user=user).delete()
    _delete_sessions_of(user)
    DownloadLink.objects.filter(user=user).delete()
    forget_person(user)
    audit.record(AuditEvent.Action.ACCOUNT_DELETED, subject=user)


def _delete_sessions_of(user) -> None:
    """Every session of theirs, expired or not (they hold the person's id)."""
    theirs = [
        session.pk
        for session in Session.objects.iterator()
        if session.get_decoded().get("_auth_user_id") == str(user.pk)
    ]
    Session.objects.filter(pk__in=theirs).delete()
