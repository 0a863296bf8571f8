"""`/healthz`: whether this app server can answer and reach its database.

For a load balancer or a monitor: no sign-in, no session, no personal data, nothing
written. 200 "ok" when a query succeeds; 503 "database unavailable" when it does not.
"""

import logging

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.views.decorators.http import require_safe

log = logging.getLogger(__name__)


@login_not_required
@require_safe
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        log.warning("Health check: the database did not answer.")
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")
