"""The second factor in a real browser.

A coordinator, who must use one, signs in with their password and is sent to set one up:
they type the app's secret (as someone who cannot scan would), confirm with a code, are
shown their recovery codes once and reach the dashboard; they sign out and back in with
a code, and once more with a recovery code.

A peer adds a passkey on the account page, with Chromium's virtual authenticator (the
Chrome DevTools Protocol's WebAuthn domain) standing in for a phone or security key, and
signs in with it. Every page is checked with axe, and the browser must report no
Content-Security-Policy violation: django-otp-webauthn's scripts run under our strict CSP.
"""

import re
import time
from base64 import b32decode

import pytest
from django.test import override_settings
from django_otp.oath import TOTP
from playwright.sync_api import expect

from tests.builders import make_organisation, make_user

from .conftest import DESKTOP, PASSWORD, PHONE, no_sideways_scroll, screenshot


def app_code(secret: str, steps_ahead: int = 0) -> str:
    """What an authenticator app holding `secret` shows (the page's text, spaces and all)."""
    key = b32decode(secret.replace(" ", ""))
    totp = TOTP(key)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


@pytest.fixture
def csp_violations(page):
    """Messages of every CSP violation the page reports."""
    seen = []
    page.on(
        "console",
        lambda message: (
            seen.append(message.text)
            if "Content Security Policy" in message.text or "Refused to" in message.text
            else None
        ),
    )
    return seen


def sign_in_with_password(page, live_server, email):
    page.goto(f"{live_server.url}/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def sign_out(page):
    page.get_by_role("button", name="Sign out").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")


@pytest.fixture
def coordinator(transactional_db):
    cora = make_user("Cora Coordinator", "cora@riverside.test", password=PASSWORD)
    make_organisation("Riverside Peer Support", coordinators=[cora])
    return cora


@override_settings(MFA_REQUIRED_FOR=["coordinators", "admins"])
def test_a_coordinator_sets_up_an_app_and_signs_in_with_it(
    live_server, page, coordinator, axe_check, csp_violations
):
    # --- The password alone leads to setting up a second factor. ---
    sign_in_with_password(page, live_server, coordinator.email)
    expect(page).to_have_url(re.compile(r"/account/security/set-up/\?next=/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a second factor")
    expect(page.get_by_role("main")).to_contain_text("Because you coordinate an organisation")
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        no_sideways_scroll(page, "set-up")
        screenshot(page, "second-factor-setup")
    axe_check(page)
    # Anywhere else still leads back here.
    page.goto(f"{live_server.url}/groups/")
    expect(page).to_have_url(re.compile(r"/account/security/set-up/\?next=/groups/$"))

    # --- An authenticator app, its secret typed in. ---
    page.get_by_role("button", name="Set up an authenticator app").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add an authenticator app")
    expect(page.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        no_sideways_scroll(page, "app")
        screenshot(page, "second-factor-app")
    axe_check(page)
    secret = page.locator("#secret").inner_text()
    assert re.fullmatch(r"([A-Z2-7]{4} )*[A-Z2-7]{4}", secret), secret

    code = page.get_by_label("6-digit code from the app")
    code.fill("000000" if app_code(secret) != "000000" else "111111")
    page.get_by_role("button", name="Confirm and turn on").click()
    expect(page.get_by_text("That code did not match.")).to_be_visible()
    axe_check(page)
    time.sleep(1.1)  # the throttle's one second after a wrong code
    page.get_by_label("6-digit code from the app").fill(app_code(secret))
    page.get_by_label("6-digit code from the app").press("Enter")

    # --- Recovery codes, shown once. ---
    expect(page.get_by_role("heading", level=1)).to_have_text("Recovery codes")
    expect(page.get_by_text("Your authenticator app is set up.")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Make my recovery codes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    codes = page.get_by_role("list", name="Recovery codes").locator("code").all_inner_texts()
    assert len(codes) == 10
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        no_sideways_scroll(page, "recovery codes")
        screenshot(page, "second-factor-recovery-codes")
    axe_check(page)
    page.get_by_role("link", name="I have saved my codes – continue").click()
    # Back where they were going, and everywhere else too.
    expect(page.get_by_role("heading", level=1)).to_have_text("Your groups")
    page.get_by_role("link", name="Home").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Group safety dashboard")

    # --- The account page lists the app and how many codes are left. ---
    page.get_by_role("link", name="Your account").click()
    section = page.get_by_role("main")
    expect(section).to_contain_text("Authenticator app")
    expect(section).to_contain_text("10 unused recovery codes left.")
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        no_sideways_scroll(page, "account")
        screenshot(page, "second-factor-account")
    axe_check(page)

    # --- Signing out and back in: the password, then a code from the app. ---
    sign_out(page)
    sign_in_with_password(page, live_server, coordinator.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm it's you")
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        no_sideways_scroll(page, "verify")
        screenshot(page, "second-factor-verify")
    axe_check(page)
    # The code used a moment ago cannot be used again; the app's next one can.
    page.get_by_label("Code").fill(app_code(secret, steps_ahead=1))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Group safety dashboard")

    # --- Once more, with a recovery code, as after losing the phone. ---
    sign_out(page)
    sign_in_with_password(page, live_server, coordinator.email)
    page.get_by_label("Code").fill(codes[0])
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Group safety dashboard")
    expect(page.get_by_text("You used a recovery code. You have 9 left.")).to_be_visible()
    axe_check(page)

    assert csp_violations == []


@pytest.fixture
def peer(transactional_db):
    return make_user("Pat Peer", "pat@riverside.test", password=PASSWORD)


def test_a_peer_adds_a_passkey_and_signs_in_with_it(
    live_server, page, peer, axe_check, csp_violations
):
    # Chromium's virtual authenticator: answers as a phone would, the person present.
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    added = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    with override_settings(WEBAUTHN_ORIGINS=[live_server.url]):
        sign_in_with_password(page, live_server, peer.email)
        expect(page.get_by_role("heading", level=1)).to_contain_text("Pat")  # no second factor yet
        # The authenticator-app page, before anything is started: it explains and starts.
        page.goto(f"{live_server.url}/account/security/app/")
        expect(page.get_by_role("button", name="Start")).to_be_visible()
        axe_check(page)
        page.get_by_role("link", name="Cancel").click()
        add = page.get_by_role("button", name="Add a passkey")
        expect(add).to_be_visible()  # put there by django-otp-webauthn's script
        axe_check(page)
        add.click()

        # Added: recovery codes next, as there are none yet.
        expect(page.get_by_role("heading", level=1)).to_have_text("Recovery codes")
        page.get_by_role("button", name="Make my recovery codes").click()
        page.get_by_role("link", name="I have saved my codes – continue").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
        expect(page.get_by_role("main")).to_contain_text("Passkey")
        # Removing asks first; cancelling keeps it.
        page.get_by_role("link", name=re.compile(r"^Remove this passkey")).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Remove this passkey?")
        expect(page.get_by_role("main")).to_contain_text("your recovery codes will be removed")
        for size in (PHONE, DESKTOP):
            page.set_viewport_size(size)
            no_sideways_scroll(page, "remove")
            screenshot(page, "second-factor-remove")
        axe_check(page)
        page.get_by_role("link", name="Cancel").click()
        expect(page.get_by_role("main")).to_contain_text("Passkey")
        credentials = cdp.send(
            "WebAuthn.getCredentials", {"authenticatorId": added["authenticatorId"]}
        )
        assert len(credentials["credentials"]) == 1

        # Signing in again: the password, then the passkey.
        sign_out(page)
        sign_in_with_password(page, live_server, peer.email)
        expect(page.get_by_role("heading", level=1)).to_have_text("Confirm it's you")
        use = page.get_by_role("button", name="Use your passkey")
        expect(use).to_be_visible()
        for size in (PHONE, DESKTOP):
            page.set_viewport_size(size)
            no_sideways_scroll(page, "verify with a passkey")
            screenshot(page, "second-factor-verify-passkey")
        axe_check(page)
        use.click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Pat")
        expect(page).to_have_url(f"{live_server.url}/")
        page.get_by_role("link", name="Your account").click()
        expect(page.get_by_role("main")).to_contain_text("Last used on")

    assert csp_violations == []
