"""Matrix page specs and effect checks: the second factor's pages and the passkey endpoints
(see the note in table.py)."""

from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.second_factor import code_for
from tests.builders import make_user
from tests.matrix.page import Page, redirects_to
from tests.matrix.table import ROLES


def cast_members(w):
    return [getattr(w.cast, role) for role in ROLES[1:]]


def start_apps(w):
    """Every cast member has started to add an authenticator app."""
    for person in cast_members(w):
        TOTPDevice.objects.create(user=person, name="Authenticator app", confirmed=False)


def pending_code(w, actor):
    if actor is None:
        return {"code": "123456"}
    return {"code": code_for(TOTPDevice.objects.get(user=actor, confirmed=False))}


def strangers_app(w):
    w.strangers_app = TOTPDevice.objects.create(
        user=make_user("Stranger Danger"), name="Authenticator app", confirmed=True
    )


# Effect checks ------------------------------------------------------------------


def app_started(w, actor, response, client, mail):
    redirects_to(response, reverse("security_app"))
    device = TOTPDevice.objects.get(user=actor)
    assert not device.confirmed
    assert mail == []


def app_confirmed(w, actor, response, client, mail):
    # Next: recovery codes, which nobody in the cast has yet.
    redirects_to(response, reverse("security_recovery_codes"))
    assert TOTPDevice.objects.get(user=actor).confirmed
    assert client.session["otp_device_id"] == TOTPDevice.objects.get(user=actor).persistent_id


def registration_begun(w, actor, response, client, mail):
    assert response.status_code == 200
    options = response.json()
    assert options["rp"] == {"name": "SafeSpace", "id": "testserver"}
    assert options["user"]["displayName"] == actor.display_name
    assert "otp_webauthn_register_state" in client.session


def authentication_begun(w, actor, response, client, mail):
    assert response.status_code == 200
    options = response.json()
    assert options["rpId"] == "testserver"
    assert options["allowCredentials"] == []  # nobody in the cast has a passkey
    assert "otp_webauthn_authentication_state" in client.session


SECOND_FACTOR_PAGES = {
    "security_verify": Page(post=lambda w, actor: {"code": "123456"}),
    "security_setup": Page(
        shows=lambda w, role, actor: ["Add a second factor", "Set up an authenticator app"]
    ),
    "security_app_start": Page(effect=app_started),
    "security_app": Page(
        setup=start_apps,
        post=pending_code,
        effect=app_confirmed,
        shows=lambda w, role, actor: [
            "Scan this QR code with the app",
            'src="data:image/svg+xml',
            'autocomplete="one-time-code"',
        ],
    ),
    "security_recovery_codes": Page(
        shows=lambda w, role, actor: ["add an authenticator app or a passkey first"]
    ),
    "security_remove": Page(
        setup=strangers_app,
        kwargs=lambda w: {"kind": "app", "pk": w.strangers_app.pk},
        private_object=True,
    ),
    "otp_webauthn:credential-registration-begin": Page(effect=registration_begun),
    "otp_webauthn:credential-registration-complete": Page(),
    "otp_webauthn:credential-authentication-begin": Page(effect=authentication_begun),
    "otp_webauthn:credential-authentication-complete": Page(),
    "otp_webauthn:js-i18n-catalog": Page(shows=lambda w, role, actor: ["gettext"]),
}
