"""Passkeys (WebAuthn) through django-otp-webauthn, tuned for SafeSpace.

The relying party ID (the domain a passkey is bound to) and the origin the browser
must report are WEBAUTHN_RP_ID and WEBAUTHN_ORIGINS when set; otherwise they come from
the address the browser used, which Django has already checked against ALLOWED_HOSTS.
Either way a browser only offers a passkey to the site it was made for, and the
library checks the signed origin against these.

Authenticators show the account's name when someone picks a passkey: that is the
person's display name (a pseudonym is enough here), never anything about a group.
"""

from django.conf import settings
from django.http.request import split_domain_port
from django_otp_webauthn.helpers import WebAuthnHelper


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

    def get_credential_display_name(self, user) -> str:
        return user.display_name or user.get_username()
