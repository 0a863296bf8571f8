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
    """A new link for `user`; returns its token (shown once, never stored). Its file is
    built in the background (tasks.prepare_own_data)."""
    from .tasks import prepare_own_data

    token = secrets.token_urlsafe(32)
    link = DownloadLink.objects.create(
        user=user,
        token_hash=hash_token(token),
        expires_at=timezone.now() + timedelta(minutes=settings.DATA_DOWNLOAD_MINUTES),
    )
    # Queued in this same transaction: the database queue holds the task only if the link
    # is kept (in development and tests it runs here and now).
    prepare_own_data.enqueue(link.pk)
    return token


# What use_download_link found.
SPENT, PREPARING = "spent", "preparing"


@transaction.atomic
def use_download_link(user, token):
    """Spend `user`'s link with this token and return its file (bytes), once, while it
    has not expired; the download is then on the audit trail and the file is emptied.
    PREPARING while the file is still being built (the link is not spent); SPENT if
    there is no such link, or it was used or has expired."""
    now = timezone.now()
    link = (
        DownloadLink.objects.select_for_update()
        .filter(user=user, token_hash=hash_token(token or ""), used_at__isnull=True)
        .filter(expires_at__gt=now)
        .first()
    )
    if link is None:
        return SPENT
    if link.ready_at is None:
        return PREPARING
    content = bytes(link.content)
    link.used_at, link.content = now, None
    link.save(update_fields=["used_at", "content", "updated"])
    audit.record(AuditEvent.Action.DATA_EXPORTED, actor=user)
    return content


def forget_download_links(now=None) -> int:
    """Delete links that were used or have expired (housekeeping)."""
    now = now or timezone.now()
    deleted, _by_model = DownloadLink.objects.filter(
        Q(used_at__isnull=False) | Q(expires_at__lte=now)
    ).delete()
    return deleted
