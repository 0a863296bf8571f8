"""`/healthz`: whether this app server can answer, reach its database, and whether the
background queue is being worked.

For a load balancer or a monitor: no sign-in, no HTTPS redirect, no session, no personal
data, nothing written. 200 "ok"; 503 with the reason when the database does not answer,
or when a task has been ready for longer than HEALTH_QUEUE_MAX_MINUTES (no worker is
running, or they cannot keep up).
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

log = logging.getLogger(__name__)


def _oldest_ready_minutes() -> int | None:
    """How long the oldest task ready to run has waited, in whole minutes (None: none,
    or tasks are not queued in the database)."""
    if "DatabaseBackend" not in settings.TASKS["default"]["BACKEND"]:
        return None
    from django_tasks_db.models import DBTaskResult

    oldest = DBTaskResult.objects.ready().order_by("enqueued_at").values("enqueued_at").first()
    if oldest is None:
        return None
    return int((timezone.now() - oldest["enqueued_at"]) / timedelta(minutes=1))


def _answer(text, status=200):
    return HttpResponse(text + "\n", status=status, content_type="text/plain")


@login_not_required
@require_safe
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        waited = _oldest_ready_minutes()
    except DatabaseError:
        log.warning("Health check: the database did not answer.")
        return _answer("database unavailable", 503)
    if waited is not None and waited > settings.HEALTH_QUEUE_MAX_MINUTES:
        log.warning("Health check: a task has waited %d minutes.", waited)
        return _answer(f"task queue: oldest task waiting {waited} minutes", 503)
    return _answer("ok")
