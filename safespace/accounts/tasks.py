"""Background work of the accounts app: building a person's data download.

Enqueued when the transaction that made the link commits; worked by `manage.py
db_worker` in production (at once, in the request, in development and tests).
Running it twice builds the file once: a link that already has its file, or is gone,
is left alone.
"""

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from . import own_data
from .models import DownloadLink


@task
def prepare_own_data(link_id: int) -> bool:
    """Build the zip for the download link `link_id`; False if there was nothing to do."""
    with transaction.atomic():
        link = (
            DownloadLink.objects.select_for_update()
            .select_related("user")
            .filter(pk=link_id, ready_at__isnull=True, used_at__isnull=True)
            .first()
        )
        if link is None or link.expires_at <= timezone.now():
            return False
        link.content = own_data.as_zip(link.user)
        link.ready_at = timezone.now()
        link.save(update_fields=["content", "ready_at", "updated"])
        return True
