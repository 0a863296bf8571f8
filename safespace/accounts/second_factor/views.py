"""The second factor's pages: verify, set up, add an authenticator app, recovery codes,
remove a factor; and the "Sign-in security" part of the account page.

Passkeys are added and used through django-otp-webauthn's own views (JSON, called by
its JavaScript, served from our origin); these pages hold their buttons.
"""

import math
from base64 import b32encode
from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from . import selectors, services
from .forms import AppCodeForm, CodeForm

LOW_ON_RECOVERY_CODES = 3


# Helpers ----------------------------------------------------------------------


def _next(request) -> str:
    """Where to go afterwards: a `next` on this site, or nothing."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _with_next(url_name, next_url) -> str:
    url = reverse(url_name)
    return f"{url}?{urlencode({'next': next_url}, safe='/')}" if next_url else url


def _wait_text(until) -> str:
    seconds = max(1, math.ceil((until - timezone.now()).total_seconds()))
    if seconds >= 90:
        minutes = math.ceil(seconds / 60)
        return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
    return ngettext("%(n)d second", "%(n)d seconds", seconds) % {"n": seconds}


def _refused_code(form, attempt, wrong_message):
    if attempt.wait_until:
        form.add_error(
            "code",
            _("Too many wrong codes. Please wait %(wait)s, then try again.")
            % {"wait": _wait_text(attempt.wait_until)},
        )
    else:
        form.add_error("code", wrong_message)


def _mark_verified(request, device):
    """This session has passed its second factor, with `device`. A new session key, as
    on any change of privilege."""
    otp_login(request, device)
    request.session.cycle_key()


def _may_change_factors(request, standing):
    """Adding or removing factors needs a session verified by one (when there is one)."""
    if standing.has_factor and not request.user.is_verified():
        raise PermissionDenied


def _reasons_text(reasons) -> list[str]:
    texts = {
        selectors.COORDINATOR: _("you coordinate an organisation"),
        selectors.ADMIN: _("you are a site admin"),
        selectors.FACILITATOR: _("you facilitate a group whose organisation asks for it"),
    }
    return [texts[reason] for reason in reasons]


def security_context(request) -> dict:
    """What the account page's "Sign-in security" section shows."""
    user = request.user
    standing = selectors.standing(user)
    factors = selectors.factors_of(user)
    codes_left = selectors.recovery_codes_left(user) if factors else 0
    account = reverse("account")
    return {
        "security": {
            "standing": standing,
            "reasons": _reasons_text(standing.reasons),
            "factors": factors,
            "codes_left": codes_left,
            # After adding a passkey: recovery codes first, for someone who has none.
            "passkey_next": account
            if codes_left
            else _with_next("security_recovery_codes", account),
        }
    }


# Pages ------------------------------------------------------------------------


@never_cache
def verify(request):
    """Ask for the second factor: a code from the app, a recovery code, or a passkey."""
    user = request.user
    next_url = _next(request)
    if user.is_verified() or not selectors.standing(user).has_factor:
        return redirect(next_url or "home")
    has_app = selectors.apps_of(user).exists()
    form = CodeForm(
        request.POST or None,
        help_text=None if has_app else _("One of your recovery codes. Each works once."),
    )
    if request.method == "POST" and form.is_valid():
        attempt = services.verify_code(user, form.cleaned_data["code"])
        if attempt.ok:
            _mark_verified(request, attempt.device)
            if isinstance(attempt.device, StaticDevice):
                left = selectors.recovery_codes_left(user)
                messages.warning(
                    request,
                    ngettext(
                        "You used a recovery code. You have %(n)d left.",
                        "You used a recovery code. You have %(n)d left.",
                        left,
                    )
                    % {"n": left}
                    + (
                        " " + _("Make new ones on your account page soon.")
                        if left < LOW_ON_RECOVERY_CODES
                        else ""
                    ),
                )
            return redirect(next_url or "home")
        _refused_code(
            form, attempt, _("That code did not work. Check it and try again, or use another.")
        )
    return render(
        request,
        "accounts/security/verify.html",
        {
            "form": form,
            "next": next_url,
            "has_app": has_app,
            "has_passkey": selectors.has_passkey(user),
        },
    )


@never_cache
def setup(request):
    """Choose a second factor: required for some, offered to everyone."""
    user = request.user
    standing = selectors.standing(user)
    next_url = _next(request)
    if standing.has_factor:
        return redirect(next_url or "account")
    return render(
        request,
        "accounts/security/setup.html",
        {
            "standing": standing,
            "reasons": _reasons_text(standing.reasons),
            "next": next_url,
            "passkey_next": _with_next("security_recovery_codes", next_url),
        },
    )


@require_POST
def app_start(request):
    """Start adding an authenticator app: a new secret, shown on the next page."""
    _may_change_factors(request, selectors.standing(request.user))
    services.start_app(request.user)
    return redirect(_with_next("security_app", _next(request)))


@never_cache
def app(request):
    """Show the new app's secret (QR code and text) and confirm it with a code."""
    user = request.user
    _may_change_factors(request, selectors.standing(user))
    next_url = _next(request)
    pending = selectors.pending_app(user)
    if pending is None:
        return render(request, "accounts/security/app_start.html", {"next": next_url})
    form = AppCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        attempt = services.confirm_app(user, form.cleaned_data["code"])
        if attempt.ok:
            if not user.is_verified():
                _mark_verified(request, attempt.device)
            messages.success(request, _("Your authenticator app is set up."))
            if not selectors.recovery_codes_left(user):
                return redirect(_with_next("security_recovery_codes", next_url))
            return redirect(next_url or "account")
        _refused_code(
            form,
            attempt,
            _("That code did not match. Check the app shows SafeSpace, then try the new code."),
        )
    secret = b32encode(pending.bin_key).decode()
    return render(
        request,
        "accounts/security/app.html",
        {
            "form": form,
            "next": next_url,
            "qr_code": segno.make(pending.config_url, error="m").svg_data_uri(scale=5, border=4),
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        },
    )


@never_cache
def recovery_codes(request):
    """How many recovery codes are left; a POST makes new ones and shows them, once."""
    user = request.user
    standing = selectors.standing(user)
    _may_change_factors(request, standing)
    next_url = _next(request)
    context = {"standing": standing, "next": next_url}
    if not standing.has_factor:
        # Recovery codes stand in for an app or a passkey: there must be one first.
        return render(request, "accounts/security/recovery_codes.html", context)
    if request.method == "POST":
        context["codes"] = services.make_recovery_codes(user)
        return render(request, "accounts/security/recovery_codes_new.html", context)
    context["codes_left"] = selectors.recovery_codes_left(user)
    return render(request, "accounts/security/recovery_codes.html", context)


@never_cache
def remove(request, kind, pk):
    """Remove an app or a passkey, after asking. Only the person's own: anyone else's
    answers 404, like one that does not exist."""
    user = request.user
    if kind not in selectors.FACTOR_MODELS:
        raise Http404
    device = get_object_or_404(selectors.factors_for_user(user, kind), pk=pk)
    standing = selectors.standing(user)
    _may_change_factors(request, standing)
    factors = selectors.factors_of(user)
    last = len(factors) == 1
    context = {
        "factor": next(f for f in factors if f.kind == kind and f.pk == device.pk),
        "last": last,
        "blocked": last and standing.required,
        "reasons": _reasons_text(standing.reasons),
    }
    if request.method != "POST":
        return render(request, "accounts/security/remove.html", context)
    was_this_session = request.session.get(DEVICE_ID_SESSION_KEY) == device.persistent_id
    try:
        left = services.remove_factor(user, device, required=standing.required)
    except services.LastFactorError:
        return render(request, "accounts/security/remove.html", context, status=403)
    if was_this_session:
        # This session was verified with the removed factor: it stays verified (it did
        # pass a second factor) by another of the person's factors, if any are left.
        others = [
            *selectors.apps_of(user),
            *selectors.factors_for_user(user, selectors.PASSKEY),
        ]
        if others:
            otp_login(request, others[0])
        else:
            request.session.pop(DEVICE_ID_SESSION_KEY, None)
    if left:
        messages.success(request, _("Removed. It can no longer be used to sign in."))
    else:
        messages.success(
            request,
            _("Removed, with your recovery codes. You now sign in with your password alone."),
        )
    return redirect("account")
