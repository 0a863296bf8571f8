"""The second factor's pages, under /account/security/ (see safespace/accounts/urls.py).

Passkeys use django-otp-webauthn's JSON endpoints (namespace `otp_webauthn`, which its
JavaScript reverses), mounted here too: see passkey_urls.py.
"""

from django.urls import include, path

from . import views

urlpatterns = [
    path("verify/", views.verify, name="security_verify"),
    path("set-up/", views.setup, name="security_setup"),
    path("app/start/", views.app_start, name="security_app_start"),
    path("app/", views.app, name="security_app"),
    path("recovery-codes/", views.recovery_codes, name="security_recovery_codes"),
    path("<str:kind>/<int:pk>/remove/", views.remove, name="security_remove"),
    path("passkeys/", include("safespace.accounts.second_factor.passkey_urls")),
]
