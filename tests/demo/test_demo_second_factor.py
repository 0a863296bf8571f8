"""`make run`'s demo turns the second factor off, says so, and its accounts sign in with
email and password alone; with the production default its coordinators would not."""

import re
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
DEMO_PASSWORD = "safe-space-demo"
DEMO_ACCOUNTS = [
    "coordinator@example.org",
    "facilitator@example.org",
    "peer@example.org",
    "other-coordinator@example.org",
    "other-peer@example.org",
]
SECURITY_PAGES = "/account/security/"


def load_demo(required):
    out = StringIO()
    with override_settings(DEBUG=True, MFA_REQUIRED_FOR=required):
        call_command("demo_data", stdout=out)
    return out.getvalue()


def test_make_run_empties_mfa_required_for_for_every_step():
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^DEMO_ENV := DEBUG=true MFA_REQUIRED_FOR=$", makefile, re.M)
    run = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    steps = [line.strip() for line in run.splitlines()[1:] if line.strip()]
    assert len(steps) == 3
    assert all(step.startswith("$(DEMO_ENV) ") for step in steps), steps


def test_the_demo_says_whether_a_second_factor_is_needed(db):
    off = load_demo([])
    assert "Second factor: OFF for this demo (MFA_REQUIRED_FOR is empty)" in off
    assert "sign in with email and password alone" in off
    on = load_demo(["coordinators", "admins"])
    assert "Second factor: REQUIRED for coordinators, admins" in on


def test_the_demo_accounts_sign_in_with_email_and_password_alone(db, client):
    load_demo([])
    with override_settings(MFA_REQUIRED_FOR=[]):
        for email in DEMO_ACCOUNTS:
            client.logout()
            response = client.post(
                reverse("login"), {"username": email, "password": DEMO_PASSWORD}, follow=True
            )
            assert response.status_code == 200, email
            assert [url for url, _status in response.redirect_chain if SECURITY_PAGES in url] == []
            assert "Signed in as" in response.content.decode(), email

    # The production default would send the demo's coordinators to set one up.
    with override_settings(MFA_REQUIRED_FOR=["coordinators", "admins"]):
        client.logout()
        client.post(reverse("login"), {"username": DEMO_ACCOUNTS[0], "password": DEMO_PASSWORD})
        response = client.get(reverse("home"))
        assert response["Location"].startswith(reverse("security_setup"))
