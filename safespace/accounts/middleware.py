"""HTTP hygiene and session limits, for every request.

- AllowedMethodsMiddleware: only GET, HEAD and POST reach a view; anything else
  (TRACE, PUT, PATCH, DELETE, OPTIONS…) is answered 405 before any view runs.
- NoStoreMiddleware: `Cache-Control: no-store, private` on every response the
  app makes (static files are served before it, by whitenoise), so no browser
  or proxy keeps a copy of a signed-in page on a shared or family device.
- SessionLimitsMiddleware: a person is signed out after SESSION_IDLE_TIMEOUT
  without a request, and SESSION_MAX_AGE after signing in, and is told why on
  the sign-in page.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, resolve_url
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

ALLOWED_METHODS = ("GET", "HEAD", "POST")

SIGNED_IN_AT = "safespace_signed_in_at"
LAST_SEEN = "safespace_last_seen"
# The session is written at most this often to record activity, not on every request.
RECORD_EVERY = timedelta(minutes=1)


class AllowedMethodsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ALLOWED_METHODS:
            return HttpResponseNotAllowed(ALLOWED_METHODS)
        return self.get_response(request)


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response["Cache-Control"] = "no-store, private"
        return response


@receiver(user_logged_in, dispatch_uid="safespace.accounts.record_sign_in")
def record_sign_in(sender, request, user, **kwargs):
    """Start the session's clocks when someone signs in (any way at all)."""
    session = getattr(request, "session", None)
    if session is None:
        return
    now = timezone.now().timestamp()
    session[SIGNED_IN_AT] = now
    session[LAST_SEEN] = now


def _hours(delta: timedelta) -> int:
    return int(delta.total_seconds() // 3600)


def _minutes(delta: timedelta) -> int:
    return int(delta.total_seconds() // 60)


def _why_signed_out(session, now: float) -> str | None:
    """Why this signed-in session must end now, in words, or None if it may go on."""
    signed_in_at = session.get(SIGNED_IN_AT)
    last_seen = session.get(LAST_SEEN)
    if not isinstance(signed_in_at, int | float) or not isinstance(last_seen, int | float):
        # A session from before these limits, or one we did not start: sign in afresh.
        return _("For your safety you have been signed out. Please sign in again.")
    most = settings.SESSION_MAX_AGE
    if now - signed_in_at >= most.total_seconds():
        hours = _hours(most)
        return ngettext(
            "You have been signed out because you signed in more than %(n)d hour ago. "
            "Please sign in again.",
            "You have been signed out because you signed in more than %(n)d hours ago. "
            "Please sign in again.",
            hours,
        ) % {"n": hours}
    idle = settings.SESSION_IDLE_TIMEOUT
    if now - last_seen >= idle.total_seconds():
        minutes = _minutes(idle)
        return ngettext(
            "You have been signed out because SafeSpace was not used for %(n)d minute. "
            "This keeps your account safe on a shared device. Please sign in again.",
            "You have been signed out because SafeSpace was not used for %(n)d minutes. "
            "This keeps your account safe on a shared device. Please sign in again.",
            minutes,
        ) % {"n": minutes}
    return None


class SessionLimitsMiddleware:
    """After AuthenticationMiddleware and MessageMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = timezone.now().timestamp()
            reason = _why_signed_out(request.session, now)
            if reason is not None:
                logout(request)
                messages.info(request, reason)
                login_url = resolve_url(settings.LOGIN_URL)
                if request.path == login_url:
                    return self.get_response(request)  # shows the message
                if request.method in ("GET", "HEAD"):
                    return redirect_to_login(request.get_full_path(), login_url)
                # A form sent after the limit is not resent: back to a page that
                # takes a GET, never to a POST-only address such as signing out.
                return redirect(login_url)
            elif now - request.session[LAST_SEEN] >= RECORD_EVERY.total_seconds():
                request.session[LAST_SEEN] = now
        return self.get_response(request)
