"""The second factor, tried as an attacker would: a password alone, replayed codes,
guessing, someone else's devices, adding a factor to skip the one there is.

The suite runs with MFA_REQUIRED_FOR empty (safespace/settings_test.py); these tests
turn it on (REQUIRED) where it matters.
"""

import re
from base64 import b32encode
from datetime import timedelta
from io import StringIO
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import get_user
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from groups.models import Membership, Organisation
from safespace.accounts.second_factor import selectors
from tests.builders import add_member, database_state, leave, make_user

from .second_factor import (
    REQUIRED,
    code_for,
    give_app,
    give_recovery_codes,
    location_path,
    password_sign_in,
    recovery_codes_in,
    text,
    verify,
)

WRONG_CODE = "That code did not work."
THROTTLED = "Too many wrong codes."


def page_of(response):
    """The page, without the masked CSRF token (different on every page)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


def signed_in(client):
    user = get_user(client)
    return user if user.is_authenticated else None


def make_verified_session(client, user):
    """Signed in and past the second factor, by the real pages."""
    password_sign_in(client, user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    response = verify(client, code_for(device))
    assert response.status_code == 302, text(response)
    return device


# Who must use it ---------------------------------------------------------------


@REQUIRED
def test_password_alone_never_reaches_a_coordinators_page(cast, client):
    """A coordinator's password, with no second factor set up: every page sends them to
    set one up. With one set up: every page asks for it. Nothing is shown on the way."""
    dashboard = reverse("dashboard", args=[cast.org_a.slug])
    password_sign_in(client, cast.coordinator)
    for url in (dashboard, reverse("home"), reverse("account"), "/admin/"):
        response = client.get(url)
        assert location_path(response) == reverse("security_setup"), url
        assert parse_qs(urlsplit(response["Location"]).query) == {"next": [url]}
        assert cast.org_a.name not in text(response)

    give_app(cast.coordinator)
    for url in (dashboard, reverse("home"), reverse("security_setup"), reverse("account")):
        response = client.get(url)
        assert location_path(response) == reverse("security_verify"), url

    # A POST is refused the same way, and changes nothing.
    before = database_state()
    response = client.post(reverse("account"), {"display_name": "Taken Over"})
    assert location_path(response) == reverse("security_verify")
    assert database_state() == before


def test_nobody_is_asked_when_nobody_must_and_nobody_has_one(cast, client):
    """The suite's own settings (MFA_REQUIRED_FOR empty), like `make run`'s demo."""
    password_sign_in(client, cast.coordinator)
    response = client.get(reverse("dashboard", args=[cast.org_a.slug]))
    assert response.status_code == 200


@REQUIRED
def test_peers_and_facilitators_are_not_required_but_may(cast, client):
    for person in (cast.peer, cast.facilitator):
        client.logout()
        password_sign_in(client, person)
        assert client.get(reverse("home")).status_code == 200
        page = text(client.get(reverse("account")))
        assert "Sign-in security" in page
        assert "It is up to you." in page
        assert "Add an authenticator app" in page


@override_settings(MFA_REQUIRED_FOR=[])
def test_anyone_with_a_factor_is_asked_for_it_even_when_not_required(cast, client):
    give_app(cast.peer)
    password_sign_in(client, cast.peer)
    assert location_path(client.get(reverse("home"))) == reverse("security_verify")


def test_a_facilitator_in_an_organisation_that_requires_it_is_sent_to_set_up(cast, client):
    Organisation.objects.filter(pk=cast.org_a.pk).update(facilitators_need_second_factor=True)
    password_sign_in(client, cast.facilitator)
    response = client.get(reverse("groups:detail", args=[cast.group_a.slug]))
    assert location_path(response) == reverse("security_setup")
    page = text(client.get(reverse("security_setup")))
    assert "Because you facilitate a group whose organisation asks for it" in page

    # Peers of that organisation, and facilitators elsewhere, are not asked.
    client.logout()
    password_sign_in(client, cast.peer)
    assert client.get(reverse("home")).status_code == 200
    elsewhere = make_user("Elle Facilitator")
    add_member(cast.group_b, elsewhere, Membership.Role.FACILITATOR)
    client.logout()
    password_sign_in(client, elsewhere)
    assert client.get(reverse("home")).status_code == 200


def test_a_facilitator_who_has_left_is_not_required(cast, client):
    Organisation.objects.filter(pk=cast.org_a.pk).update(facilitators_need_second_factor=True)
    leave(cast.group_a, cast.facilitator)
    assert not selectors.standing(cast.facilitator).required


@override_settings(MFA_REQUIRED_FOR=["facilitators"])
def test_the_setting_can_require_it_of_every_facilitator(cast):
    assert selectors.standing(cast.facilitator).reasons == (selectors.FACILITATOR,)
    assert not selectors.standing(cast.coordinator).required
    assert not selectors.standing(cast.peer).required


@REQUIRED
def test_site_admins_must_use_it_and_the_admin_site_asks_for_it(db, client):
    admin = make_user("Ada Admin")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    password_sign_in(client, admin)
    for url in ("/admin/", "/admin/groups/organisation/", "/admin/login/"):
        assert location_path(client.get(url)) == reverse("security_setup"), url

    give_app(admin)
    assert location_path(client.get("/admin/")) == reverse("security_verify")
    response = verify(client, code_for(TOTPDevice.objects.get(user=admin)), next_url="/admin/")
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_standing_is_one_query(cast, django_assert_num_queries):
    with REQUIRED, django_assert_num_queries(1):
        standing = selectors.standing(cast.coordinator)
    assert standing.reasons == (selectors.COORDINATOR,)
    assert not standing.has_factor


def test_standing_follows_the_setting_as_it_changes(cast):
    """Each shape the setting gives has its own prepared query: changing the setting
    changes the answer at once, in any order, and each person gets their own."""
    for required, facilitator, coordinator in [
        ([], (), ()),
        (["facilitators"], (selectors.FACILITATOR,), ()),
        (["coordinators"], (), (selectors.COORDINATOR,)),
        (["facilitators", "coordinators"], (selectors.FACILITATOR,), (selectors.COORDINATOR,)),
        ([], (), ()),
    ]:
        with override_settings(MFA_REQUIRED_FOR=required):
            assert selectors.standing(cast.facilitator).reasons == facilitator, required
            assert selectors.standing(cast.coordinator).reasons == coordinator, required
            assert selectors.standing(cast.peer).reasons == (), required
    give_app(cast.peer)
    assert selectors.standing(cast.peer).has_factor
    assert not selectors.standing(cast.facilitator).has_factor


# Setting one up ----------------------------------------------------------------


@REQUIRED
def test_a_coordinator_sets_up_an_app_and_sees_recovery_codes_once(cast, client):
    dashboard = reverse("dashboard", args=[cast.org_a.slug])
    password_sign_in(client, cast.coordinator)
    setup = client.get(f"{reverse('security_setup')}?next={dashboard}")
    page = text(setup)
    assert "Because you coordinate an organisation" in page
    assert "Set up an authenticator app" in page and "Add a passkey" in page

    started = client.post(reverse("security_app_start"), {"next": dashboard})
    assert started["Location"] == f"{reverse('security_app')}?next={dashboard}"
    device = TOTPDevice.objects.get(user=cast.coordinator)
    assert not device.confirmed
    # Not confirmed, it does not count: still sent to set up.
    assert location_path(client.get(dashboard)) == reverse("security_setup")

    page = text(client.get(started["Location"]))
    assert 'src="data:image/svg+xml' in page  # the QR code, drawn on the server
    secret = page.split('id="secret">')[1].split("<")[0]
    assert secret.replace(" ", "") == services_secret(device)

    wrong = client.post(reverse("security_app"), {"code": "000000", "next": dashboard})
    assert wrong.status_code == 200
    assert "That code did not match." in text(wrong)
    device.refresh_from_db()
    assert not device.confirmed
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)

    done = client.post(reverse("security_app"), {"code": code_for(device), "next": dashboard})
    assert location_path(done) == reverse("security_recovery_codes")
    device.refresh_from_db()
    assert device.confirmed
    # Confirming with the app counts as passing it for this session.
    assert client.get(reverse("home")).status_code == 302  # the coordinator's home: dashboard
    assert client.get(dashboard).status_code == 200

    ask = client.get(done["Location"])
    assert "You have no recovery codes." in text(ask)
    shown = client.post(reverse("security_recovery_codes"), {"next": dashboard})
    codes = recovery_codes_in(shown)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert f'href="{dashboard}"' in shown.content.decode()
    assert "no-store" in shown["Cache-Control"] or "no-cache" in shown["Cache-Control"]
    # Shown once: the page about them afterwards shows how many, never the codes.
    later = client.get(reverse("security_recovery_codes"))
    assert "You have 10 unused recovery codes." in text(later)
    assert not any(code in text(later) for code in codes)
    assert not any(code in text(client.get(reverse("account"))) for code in codes)


def services_secret(device):
    return b32encode(device.bin_key).decode()


@REQUIRED
def test_starting_again_replaces_an_unconfirmed_app(cast, client):
    password_sign_in(client, cast.coordinator)
    client.post(reverse("security_app_start"))
    first = TOTPDevice.objects.get(user=cast.coordinator)
    first_code = code_for(first)
    client.post(reverse("security_app_start"))
    second = TOTPDevice.objects.get(user=cast.coordinator)
    assert first.pk != second.pk and first.key != second.key
    # The first secret no longer confirms anything.
    response = client.post(reverse("security_app"), {"code": first_code})
    assert response.status_code == 200
    assert not TOTPDevice.objects.filter(confirmed=True).exists()


@REQUIRED
def test_an_unconfirmed_app_cannot_be_used_to_sign_in(cast, client):
    password_sign_in(client, cast.coordinator)
    client.post(reverse("security_app_start"))
    pending = TOTPDevice.objects.get(user=cast.coordinator)
    client.logout()
    password_sign_in(client, cast.coordinator)
    # Not a factor yet: the verify page has nothing to ask, and setting up goes on.
    response = verify(client, code_for(pending))
    assert response.status_code == 302
    assert location_path(client.get(reverse("home"))) == reverse("security_setup")
    assert not client.session.get(DEVICE_ID_SESSION_KEY)


# Codes: single use, no replay, throttled ---------------------------------------


@REQUIRED
def test_a_totp_code_cannot_be_used_twice(cast, client):
    device = give_app(cast.coordinator)
    code = code_for(device)
    password_sign_in(client, cast.coordinator)
    assert verify(client, code).status_code == 302
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id

    # Someone who watched the code being typed, with the password, in another browser.
    client.logout()
    password_sign_in(client, cast.coordinator)
    replay = verify(client, code)
    assert replay.status_code == 200
    assert WRONG_CODE in text(replay)
    assert DEVICE_ID_SESSION_KEY not in client.session
    assert location_path(client.get(reverse("home"))) == reverse("security_verify")

    # The app's next code works (once the throttle's second has passed).
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)
    assert verify(client, code_for(device, steps_ahead=1)).status_code == 302


@REQUIRED
def test_a_recovery_code_works_once(cast, client):
    give_app(cast.coordinator)
    give_recovery_codes(cast.coordinator, codes=["aaaabbbb", "ccccdddd"])
    password_sign_in(client, cast.coordinator)
    # Typed as printed, with spaces or capitals, it still works.
    used = verify(client, "AAAA BBBB", next_url="/account/")
    assert used["Location"] == "/account/"
    assert "You used a recovery code. You have 1 left." in text(client.get("/account/"))

    client.logout()
    password_sign_in(client, cast.coordinator)
    again = verify(client, "aaaabbbb")
    assert again.status_code == 200
    assert WRONG_CODE in text(again)
    assert list(StaticToken.objects.values_list("token", flat=True)) == ["ccccdddd"]


@REQUIRED
def test_a_wrong_code_is_throttled(cast, client):
    device = give_app(cast.coordinator)
    password_sign_in(client, cast.coordinator)

    assert WRONG_CODE in text(verify(client, "123456"))
    # Straight after a wrong code even the right one is refused, with how long to wait.
    right = verify(client, code_for(device))
    assert right.status_code == 200
    assert f"{THROTTLED} Please wait 1 second, then try again." in text(right)
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # a refused try is not checked at all

    # Each failure doubles the wait: ten in a row ask for minutes.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=10, throttling_failure_timestamp=timezone.now()
    )
    assert "Please wait 9 minutes" in text(verify(client, code_for(device)))

    # Once the wait is over, the right code works and the count starts again.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - timedelta(days=1)
    )
    assert verify(client, code_for(device)).status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


@REQUIRED
def test_guessing_recovery_codes_is_throttled_too(cast, client):
    give_app(cast.coordinator)
    give_recovery_codes(cast.coordinator, codes=["aaaabbbb"])
    password_sign_in(client, cast.coordinator)
    assert WRONG_CODE in text(verify(client, "zzzzzzzz"))
    refused = verify(client, "aaaabbbb")
    assert THROTTLED in text(refused)
    assert StaticToken.objects.filter(token="aaaabbbb").exists()


@REQUIRED
def test_confirming_a_new_app_is_throttled(cast, client):
    password_sign_in(client, cast.coordinator)
    client.post(reverse("security_app_start"))
    device = TOTPDevice.objects.get(user=cast.coordinator)
    client.post(reverse("security_app"), {"code": "999999"})
    refused = client.post(reverse("security_app"), {"code": code_for(device)})
    assert THROTTLED in text(refused)
    device.refresh_from_db()
    assert not device.confirmed


@REQUIRED
def test_verifying_gives_a_new_session_key_and_goes_only_to_our_own_pages(cast, client):
    device = give_app(cast.coordinator)
    password_sign_in(client, cast.coordinator)
    before = client.session.session_key
    response = verify(client, code_for(device), next_url="https://evil.example/phish")
    assert response["Location"] == reverse("home")
    assert client.session.session_key != before
    assert not Session.objects.filter(session_key=before).exists()


# Adding a factor to get round the one there is -----------------------------------


@REQUIRED
def test_someone_not_yet_verified_cannot_add_a_factor(cast, client):
    """With the password alone, adding a new app or passkey would skip the real one."""
    give_app(cast.coordinator)
    password_sign_in(client, cast.coordinator)
    before = database_state("otp_totp", "django_otp_webauthn", "otp_static")
    for url in (
        reverse("security_app_start"),
        reverse("security_app"),
        reverse("security_recovery_codes"),
        reverse("otp_webauthn:credential-registration-begin"),
        reverse("otp_webauthn:credential-registration-complete"),
    ):
        response = client.post(url, {"code": "123456"})
        assert location_path(response) == reverse("security_verify"), url
    assert database_state("otp_totp", "django_otp_webauthn", "otp_static") == before


def test_the_views_refuse_it_even_without_the_middleware(cast, client):
    without = [m for m in settings.MIDDLEWARE if not m.endswith("SecondFactorMiddleware")]
    give_app(cast.coordinator)
    with override_settings(MIDDLEWARE=without, MFA_REQUIRED_FOR=["coordinators"]):
        password_sign_in(client, cast.coordinator)
        assert client.post(reverse("security_app_start")).status_code == 403
        assert client.post(reverse("security_recovery_codes")).status_code == 403
    assert TOTPDevice.objects.filter(user=cast.coordinator).count() == 1


# Someone else's devices ----------------------------------------------------------


def test_an_outsider_cannot_see_or_remove_someone_elses_devices(cast, client):
    app = give_app(cast.coordinator)
    passkey = WebAuthnCredential.objects.create(
        user=cast.coordinator, credential_id=b"x" * 16, public_key=b"k", confirmed=True
    )
    give_app(cast.peer)
    make_verified_session(client, cast.peer)
    before = database_state()
    for kind, device in (("app", app), ("passkey", passkey)):
        url = reverse("security_remove", args=[kind, device.pk])
        missing = reverse("security_remove", args=[kind, device.pk + 1000])
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 404
            assert page_of(response) == page_of(method(missing))
    assert client.get(reverse("security_remove", args=["static", 1])).status_code == 404
    assert database_state() == before
    # The account page lists only one's own.
    page = text(client.get(reverse("account")))
    assert page.count("Authenticator app</p>") == 1
    assert "Passkey</p>" not in page


# Removing and replacing ----------------------------------------------------------


@REQUIRED
def test_a_required_person_cannot_remove_their_last_factor(cast, client):
    device = make_verified_session(client, give_app(cast.coordinator).user)
    url = reverse("security_remove", args=["app", device.pk])
    page = text(client.get(url))
    assert "This is your only second factor" in page
    assert 'type="submit"' not in page.split("<main")[1].split("</main>")[0]
    response = client.post(url)
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


@REQUIRED
def test_with_two_factors_one_can_go_after_confirming(cast, client):
    first = give_app(cast.coordinator)
    second = give_app(cast.coordinator)
    give_recovery_codes(cast.coordinator)
    password_sign_in(client, cast.coordinator)
    verify(client, code_for(first))
    url = reverse("security_remove", args=["app", first.pk])

    # Asking first: a GET removes nothing.
    assert "Remove this authenticator app?" in text(client.get(url))
    assert TOTPDevice.objects.filter(pk=first.pk).exists()

    response = client.post(url)
    assert response["Location"] == reverse("account")
    assert not TOTPDevice.objects.filter(pk=first.pk).exists()
    # This session was verified with the removed app; it stays verified by the other.
    assert client.session[DEVICE_ID_SESSION_KEY] == second.persistent_id
    assert client.get(reverse("account")).status_code == 200
    assert StaticToken.objects.filter(device__user=cast.coordinator).count() == 3


def test_removing_ones_only_optional_factor_removes_the_recovery_codes(cast, client):
    device = give_app(cast.peer)
    give_recovery_codes(cast.peer)
    make_verified_session(client, cast.peer)
    response = client.post(reverse("security_remove", args=["app", device.pk]))
    assert response["Location"] == reverse("account")
    assert not TOTPDevice.objects.filter(user=cast.peer).exists()
    assert not StaticDevice.objects.filter(user=cast.peer).exists()
    page = text(client.get(reverse("account")))
    assert "You now sign in with your password alone." in page
    assert "You have not set up a second factor." in page


def test_new_recovery_codes_replace_the_old_ones(cast, client):
    give_app(cast.peer)
    give_recovery_codes(cast.peer, codes=["aaaabbbb"])
    make_verified_session(client, cast.peer)
    assert "You have 1 unused recovery code." in text(
        client.get(reverse("security_recovery_codes"))
    )
    codes = recovery_codes_in(client.post(reverse("security_recovery_codes")))
    assert len(codes) == 10
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(codes)
    assert StaticDevice.objects.filter(user=cast.peer).count() == 1

    client.logout()
    password_sign_in(client, cast.peer)
    assert WRONG_CODE in text(verify(client, "aaaabbbb"))
    StaticDevice.objects.update(throttling_failure_timestamp=None)
    assert verify(client, codes[0]).status_code == 302


def test_recovery_codes_need_a_factor_first(cast, client):
    password_sign_in(client, cast.peer)
    before = database_state("otp_static")
    response = client.post(reverse("security_recovery_codes"))
    assert response.status_code == 200
    assert "add an authenticator app or a passkey first" in text(response)
    assert database_state("otp_static") == before


# A lost device: the site admin's reset -------------------------------------------


@REQUIRED
def test_a_site_admin_resets_a_lost_second_factor(cast, client):
    device = give_app(cast.coordinator)
    give_recovery_codes(cast.coordinator)
    WebAuthnCredential.objects.create(
        user=cast.coordinator, credential_id=b"y" * 16, public_key=b"k", confirmed=True
    )
    make_verified_session(client, cast.coordinator)
    other = make_user("Someone Else")
    give_app(other)

    out = StringIO()
    call_command("reset_second_factor", " COORDINATOR@a.test ", stdout=out)

    assert "Removed 3 second-factor device(s)" in out.getvalue()
    assert cast.coordinator.email not in out.getvalue()
    for model in (TOTPDevice, StaticDevice, WebAuthnCredential):
        assert not model.objects.filter(user=cast.coordinator).exists()
    assert TOTPDevice.objects.filter(user=other).exists()
    # Every session of theirs has ended: whoever holds the lost device is signed out.
    assert signed_in(client) is None
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    # At the next sign-in they set a new one up.
    password_sign_in(client, cast.coordinator)
    assert location_path(client.get(reverse("home"))) == reverse("security_setup")


def test_resetting_an_unknown_address_changes_nothing(cast):
    give_app(cast.coordinator)
    before = database_state()
    with pytest.raises(CommandError, match="No account has that email address"):
        call_command("reset_second_factor", "nobody@a.test", stdout=StringIO())
    assert database_state() == before


def test_only_a_site_admin_can_reset_through_the_web(cast, client):
    """The app itself has no page that removes another person's factors; the admin site
    (staff only) lists devices without their secrets."""
    give_app(cast.coordinator)
    make_verified_session(client, give_app(cast.peer).user)
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 302  # to the admin sign-in
    assert settings.OTP_ADMIN_HIDE_SENSITIVE_DATA is True


# Pages -------------------------------------------------------------------------


@REQUIRED
def test_the_verify_page_offers_what_the_person_has(cast, client):
    give_app(cast.coordinator)
    password_sign_in(client, cast.coordinator)
    page = text(client.get(reverse("security_verify")))
    assert "With a code" in page and "Use your passkey" not in page
    assert "recovery codes" in page and "ask a site admin" in page

    WebAuthnCredential.objects.create(
        user=cast.coordinator, credential_id=b"z" * 16, public_key=b"k", confirmed=True
    )
    response = client.get(reverse("security_verify"))
    page = text(response)
    assert "Use your passkey" in page
    assert 'id="otp_webauthn_config" type="application/json"' in page
    # Strict CSP still holds: scripts only from our own origin, nothing inline.
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    body = response.content.decode()
    for tag in body.split("<script")[1:]:
        opening = tag.split(">")[0]
        assert 'src="/' in opening or 'type="application/json"' in opening, opening


def test_the_account_page_shows_sign_in_security(cast, client):
    client.force_login(cast.peer)
    page = text(client.get(reverse("account")))
    assert "Sign-in security" in page
    assert "You have not set up a second factor." in page


def test_passkey_registration_options_come_from_our_site(cast, client):
    """The server side of adding a passkey: options for this site, for this person."""
    password_sign_in(client, cast.peer)
    response = client.post(reverse("otp_webauthn:credential-registration-begin"))
    assert response.status_code == 200
    options = response.json()
    assert options["rp"] == {"name": "SafeSpace", "id": "testserver"}
    assert options["user"]["displayName"] == cast.peer.display_name
    # Completing it without the browser's signed answer is refused, and saves nothing.
    refused = client.post(
        reverse("otp_webauthn:credential-registration-complete"),
        data="{}",
        content_type="application/json",
    )
    assert refused.status_code == 422
    assert not WebAuthnCredential.objects.exists()


def test_passkeys_are_never_a_way_in_without_the_password(cast, client):
    response = client.post(reverse("otp_webauthn:credential-authentication-begin"))
    assert response.status_code == 302
    assert location_path(response) == reverse("login")


@override_settings(
    WEBAUTHN_RP_ID="safespace.example", WEBAUTHN_ORIGINS=["https://safespace.example"]
)
def test_the_relying_party_can_be_set(cast, client):
    password_sign_in(client, cast.peer)
    options = client.post(reverse("otp_webauthn:credential-registration-begin")).json()
    assert options["rp"]["id"] == "safespace.example"


def test_the_admin_lists_devices_without_their_secrets(cast, client):
    admin = make_user("Ada Admin")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    give_app(admin)
    make_verified_session(client, admin)
    app = give_app(cast.coordinator)
    codes = give_recovery_codes(cast.coordinator, codes=["secretcd"])

    page = text(client.get(f"/admin/otp_totp/totpdevice/{app.pk}/change/"))
    assert "Authenticator app" in page
    assert app.key not in page and services_secret(app) not in page
    for view in ("config", "qrcode"):
        assert client.get(f"/admin/otp_totp/totpdevice/{app.pk}/{view}/").status_code == 403
    page = text(client.get(f"/admin/otp_static/staticdevice/{codes.pk}/change/"))
    assert "Recovery codes" in page and "secretcd" not in page
    # Deleting a device is how the admin site resets a single one.
    client.post(f"/admin/otp_totp/totpdevice/{app.pk}/delete/", {"post": "yes"})
    assert not TOTPDevice.objects.filter(pk=app.pk).exists()


def test_a_site_admin_sets_an_organisation_to_require_it_of_facilitators(cast, client):
    admin = make_user("Ada Admin")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    give_app(admin)
    make_verified_session(client, admin)
    url = f"/admin/groups/organisation/{cast.org_a.pk}/change/"
    page = text(client.get(url))
    assert "Facilitators must use a second factor" in page
    assert 'name="facilitators_need_second_factor"' in page


@REQUIRED
def test_static_files_and_help_stay_reachable_while_held(cast, client):
    password_sign_in(client, cast.coordinator)
    assert location_path(client.get(reverse("home"))) == reverse("security_setup")
    for path in ("/static/safespace/passkeys.js", "/static/safespace/site.css"):
        response = client.get(path)
        assert response.status_code == 200, path
        # Read to the end: the test client then closes the file (calling close() here
        # would send request_finished, which closes the test's database connection).
        assert b"".join(response.streaming_content), path
    assert "999" in text(client.get(reverse("help")))
