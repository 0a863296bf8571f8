"""The page for a server error. When the database could not be reached (restarting, a
failover, a lost connection), the answer is 503 with Retry-After and a page that says so
in plain words, so a proxy and a person both know to try again in a moment."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.views import defaults

RETRY_AFTER_SECONDS = 15


def server_error(request):
    # Django calls this while it handles the exception, so the exception is at hand.
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return defaults.server_error(request)
