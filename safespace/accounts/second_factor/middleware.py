"""Hold everyone who owes a second factor on the pages that let them give it.

Runs after django-otp's OTPMiddleware (which sets `request.user.is_verified()`). For
someone signed in and not yet verified in this session:

- with an authenticator app or a passkey: every page but the verify page (and the
  passkey check it uses) sends them to verify first;
- with none, when they must use one: every page but the set-up pages sends them to
  set one up first;
- otherwise: nothing changes.

Signing out and "Get help now" are always reachable; static files never get here.
The admin site is held like any other page. One query, only for people signed in
and not verified.
"""

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from . import selectors

ALWAYS = {"logout", "help", "privacy", "otp_webauthn:js-i18n-catalog"}
VERIFY_PAGES = ALWAYS | {
    "security_verify",
    "otp_webauthn:credential-authentication-begin",
    "otp_webauthn:credential-authentication-complete",
}
SETUP_PAGES = ALWAYS | {
    "security_setup",
    "security_app_start",
    "security_app",
    "otp_webauthn:credential-registration-begin",
    "otp_webauthn:credential-registration-complete",
}


def send_to(request, url_name):
    """Redirect to a second-factor page, coming back here afterwards (after a GET)."""
    url = reverse(url_name)
    here = request.get_full_path()
    if request.method in ("GET", "HEAD") and url_has_allowed_host_and_scheme(
        here, allowed_hosts={request.get_host()}
    ):
        url = f"{url}?{urlencode({'next': here}, safe='/')}"
    return redirect(url)


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        match = request.resolver_match
        name = match.view_name if match else None
        if name in ALWAYS:
            return None
        standing = selectors.standing(user)
        if standing.has_factor:
            return None if name in VERIFY_PAGES else send_to(request, "security_verify")
        if standing.required:
            return None if name in SETUP_PAGES else send_to(request, "security_setup")
        return None
