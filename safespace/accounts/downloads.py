"""Links to download one's own data: single-use, expiring, stored only as hashes."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from groups import audit
from groups.models import AuditEvent, hash_token

from .models import DownloadLink


@transaction.atomic
def make_download_link(user) -> str:
    """A new link for `user`; returns its token (shown once, never stored)."""
    token = secrets.token_urlsafe(32)
    DownloadLink.objects.create(
        user=user,
        token_hash=hash_token(token),
        expires_at=timezone.now() + timedelta(minutes=settings.DATA_DOWNLOAD_MINUTES),
    )
    return token


@transaction.atomic
def use_download_link(user, token) -> bool:
    """Spend `user`'s link with this token: True once, while it has not expired. The
    download is then on the audit trail."""
    now = timezone.now()
    link = (
        DownloadLink.objects.select_for_update()
        .filter(user=user, token_hash=hash_token(token or ""), used_at__isnull=True)
        .filter(expires_at__gt=now)
        .first()
    )
    if link is None:
        return False
    link.used_at = now
    link.save(update_fields=["used_at", "updated"])
    audit.record(AuditEvent.Action.DATA_EXPORTED, actor=user)
    return True


def forget_download_links(now=None) -> int:
    """Delete links that were used or have expired (housekeeping)."""
    now = now or timezone.now()
    deleted, _by_model = DownloadLink.objects.filter(
        Q(used_at__isnull=False) | Q(expires_at__lte=now)
    ).delete()
    return deleted
