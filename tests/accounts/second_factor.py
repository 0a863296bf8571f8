"""Helpers for the second-factor tests: codes from an app, signing in by the real forms."""

import html
import re
import time

from django.test import override_settings
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.builders import PASSWORD

REQUIRED = override_settings(MFA_REQUIRED_FOR=["coordinators", "admins"])


def text(response) -> str:
    return html.unescape(response.content.decode())


def code_for(device, steps_ahead=0) -> str:
    """The code an authenticator app holding `device`'s secret shows now (or steps later)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def give_app(user) -> TOTPDevice:
    """A confirmed authenticator app, as if set up earlier."""
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def give_recovery_codes(user, codes=("aaaabbbb", "ccccdddd", "eeeeffff")) -> StaticDevice:
    device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    for code in codes:
        StaticToken.objects.create(device=device, token=code)
    return device


def password_sign_in(client, user, password=PASSWORD, next_url=None):
    data = {"username": user.email, "password": password}
    url = reverse("login") + (f"?next={next_url}" if next_url else "")
    response = client.post(url, data)
    assert response.status_code == 302, text(response)
    return response


def verify(client, code, next_url=""):
    return client.post(reverse("security_verify"), {"code": code, "next": next_url})


def location_path(response) -> str:
    assert response.status_code == 302, response.status_code
    return response["Location"].split("?")[0]


def recovery_codes_in(response) -> list[str]:
    return re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())
