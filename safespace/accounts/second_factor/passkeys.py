"""Passkeys (WebAuthn) through django-otp-webauthn, tuned for SafeSpace.

The relying party ID (the domain a passkey is bound to) is WEBAUTHN_RP_ID, or else the
host name the browser used, which Django has already checked against ALLOWED_HOSTS. The
origin the browser signs must be one of WEBAUTHN_ORIGINS (by default https:// and each
name in ALLOWED_HOSTS); in development, with none set, the address the browser used. A
browser only offers a passkey to the site it was made for, and the library checks the
signed origin and relying party against these.

Authenticators show the account's name when someone picks a passkey: that is the
person's display name (a pseudonym is enough here), never anything about a group.
"""

from django.conf import settings
from django.http.request import split_domain_port
from django_otp_webauthn import exceptions
from django_otp_webauthn import views as webauthn
from django_otp_webauthn.helpers import WebAuthnHelper

from . import services


def relying_party_id(request) -> str:
    if settings.WEBAUTHN_RP_ID:
        return settings.WEBAUTHN_RP_ID
    domain, _port = split_domain_port(request.get_host())
    return domain


class PasskeyHelper(WebAuthnHelper):
    def get_allowed_origins(self) -> list[str]:
        if settings.WEBAUTHN_ORIGINS:
            return list(settings.WEBAUTHN_ORIGINS)
        return [f"{self.request.scheme}://{self.request.get_host()}"]

    def register_complete(self, *args, **kwargs):
        device = super().register_complete(*args, **kwargs)
        services.note_passkey_added(device.user)
        return device

    def get_credential_display_name(self, user) -> str:
        return user.display_name or user.get_username()


class _NeedsState:
    """A "complete" call with no ceremony begun is refused without saving the session.

    (The library pops the ceremony's state and saves the session at once, so a state is
    never used twice; with no state there is nothing to pop, and nothing to save.)
    """

    state_key = ""

    def get_state(self):
        if self.state_key not in self.request.session:
            raise exceptions.InvalidState()
        return super().get_state()


class CompleteRegistrationView(_NeedsState, webauthn.CompleteCredentialRegistrationView):
    state_key = "otp_webauthn_register_state"


class CompleteAuthenticationView(_NeedsState, webauthn.CompleteCredentialAuthenticationView):
    state_key = "otp_webauthn_authentication_state"
