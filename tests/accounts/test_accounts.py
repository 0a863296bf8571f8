"""Signing in and out, sign-in throttling, passwords, the account page and the help page."""

import hashlib
import html
import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from safespace.accounts.models import SignInThrottle
from tests.builders import database_text

PASSWORD = "correct-horse-battery"  # tests/builders.py: make_user's default
WRONG = "not-the-password"
INVALID_LOGIN = "That email address and password do not match an account. Check them and try again."
THROTTLE = {"SIGNIN_SLOW_AFTER": 3, "SIGNIN_LOCK_AFTER": 10, "SIGNIN_LOCK_MINUTES": 15}


def text(response) -> str:
    return html.unescape(response.content.decode())


def sign_in(client, email, password, address="127.0.0.1"):
    return client.post(
        reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=address
    )


def signed_in_as(client):
    user = get_user(client)
    return user if user.is_authenticated else None


def let_time_pass():
    """As if every current wait had run out (without touching the failure counts)."""
    SignInThrottle.objects.update(blocked_until=timezone.now() - timedelta(seconds=1))


# Signing in -----------------------------------------------------------------


@pytest.mark.parametrize("typed", ["peer@a.test", "PEER@A.TEST", "  Peer@A.test  "])
def test_sign_in_with_email_in_any_case(cast, client, typed):
    response = sign_in(client, typed, PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert signed_in_as(client) == cast.peer
    assert "Signed in as Pat Peer" in text(client.get(reverse("home")))


def test_wrong_password_and_unknown_account_get_the_same_message(cast, client):
    wrong_password = sign_in(client, "peer@a.test", WRONG, address="10.0.0.1")
    unknown = sign_in(client, "nobody@a.test", WRONG, address="10.0.0.2")

    for response in (wrong_password, unknown):
        assert response.status_code == 200
        assert response.context["form"].non_field_errors() == [INVALID_LOGIN]
        assert INVALID_LOGIN in text(response)
        assert signed_in_as(client) is None

    # Apart from the echoed address (and the CSRF token), the two pages are identical.
    def normalised(response, email):
        page = text(response).replace(email, "X")
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)

    assert normalised(wrong_password, "peer@a.test") == normalised(unknown, "nobody@a.test")


@override_settings(**THROTTLE)
@pytest.mark.parametrize("account", ["known", "unknown"])
def test_after_a_few_failures_even_the_right_password_is_refused(cast, client, account):
    email = "peer@a.test" if account == "known" else "nobody@a.test"
    # Each failure from a different address: it is the account that gets slowed.
    for n in range(3):
        assert INVALID_LOGIN in text(sign_in(client, email, WRONG, address=f"10.0.1.{n}"))

    refused = sign_in(client, email, PASSWORD, address="10.0.2.1")

    assert refused.status_code == 200
    assert "Too many attempts to sign in." in text(refused)
    assert INVALID_LOGIN not in text(refused)
    assert signed_in_as(client) is None
    # A refused attempt is not counted as another failure.
    assert sorted(SignInThrottle.objects.values_list("failures", flat=True)) == [1, 1, 1, 3]

    # Once the wait is over, the right password works again (for a real account).
    let_time_pass()
    after = sign_in(client, email, PASSWORD, address="10.0.2.2")
    if account == "known":
        assert after.status_code == 302
        assert signed_in_as(client) == cast.peer
    else:
        assert INVALID_LOGIN in text(after)


@override_settings(**THROTTLE)
def test_failures_from_one_address_slow_that_address_down(cast, client):
    for n in range(3):
        sign_in(client, f"guess{n}@a.test", WRONG, address="10.0.3.1")

    refused = sign_in(client, "peer@a.test", PASSWORD, address="10.0.3.1")
    assert "Too many attempts to sign in." in text(refused)
    assert signed_in_as(client) is None

    # The account itself is fine from elsewhere.
    assert sign_in(client, "peer@a.test", PASSWORD, address="10.0.3.2").status_code == 302
    assert signed_in_as(client) == cast.peer


@override_settings(**THROTTLE)
def test_after_many_failures_the_account_is_locked_for_fifteen_minutes(cast, client):
    for n in range(10):
        let_time_pass()  # each attempt waits out the slow-down first
        sign_in(client, "peer@a.test", WRONG, address=f"10.0.4.{n}")

    account_row = SignInThrottle.objects.get(failures=10)
    remaining = account_row.blocked_until - timezone.now()
    assert timedelta(minutes=14, seconds=50) < remaining <= timedelta(minutes=15)

    refused = sign_in(client, "peer@a.test", PASSWORD, address="10.0.5.1")
    assert "Too many attempts to sign in. Please wait 15 minutes and try again" in text(refused)
    assert signed_in_as(client) is None

    # Fourteen minutes later: still locked.
    SignInThrottle.objects.filter(pk=account_row.pk).update(
        blocked_until=timezone.now() + timedelta(seconds=60)
    )
    assert "Too many attempts" in text(sign_in(client, "peer@a.test", PASSWORD, "10.0.5.2"))
    assert signed_in_as(client) is None

    # Fifteen minutes later: the right password works, and the account's record is cleared.
    let_time_pass()
    assert sign_in(client, "peer@a.test", PASSWORD, address="10.0.5.3").status_code == 302
    assert signed_in_as(client) == cast.peer
    assert not SignInThrottle.objects.filter(pk=account_row.pk).exists()


@override_settings(**THROTTLE)
def test_a_successful_sign_in_resets_the_account_count(cast, client):
    for n in range(2):
        sign_in(client, "peer@a.test", WRONG, address=f"10.0.6.{n}")
    assert sign_in(client, "peer@a.test", PASSWORD, address="10.0.6.9").status_code == 302
    client.logout()

    # Two more failures: had the count not been reset this would be four, and slowed.
    for n in range(2):
        sign_in(client, "peer@a.test", WRONG, address=f"10.0.7.{n}")
    assert sorted(SignInThrottle.objects.values_list("failures", flat=True)) == [1, 1, 1, 1, 2]
    assert sign_in(client, "peer@a.test", PASSWORD, address="10.0.7.9").status_code == 302


@override_settings(**THROTTLE)
def test_throttle_stores_only_hashes(cast, client):
    sign_in(client, "peer@a.test", WRONG, address="10.9.8.7")
    sign_in(client, "Unknown.Person@Elsewhere.test", WRONG, address="10.9.8.6")

    rows = list(SignInThrottle.objects.values_list("key", flat=True))
    assert len(rows) == 4  # one per account and one per address
    for key in rows:
        assert re.fullmatch(r"[0-9a-f]{64}", key)
    # Not a bare hash either, which could be looked up in a list of addresses.
    for clear in ("peer@a.test", "account:peer@a.test", "10.9.8.7", "address:10.9.8.7"):
        assert hashlib.sha256(clear.encode()).hexdigest() not in rows
    stored = database_text().lower()
    assert "unknown.person@elsewhere.test" not in stored
    assert "10.9.8.7" not in stored
    assert "10.9.8.6" not in stored


# Signing out ----------------------------------------------------------------


def test_sign_out_needs_a_post(cast, client_for):
    client = client_for(cast.peer)

    assert client.get(reverse("logout")).status_code == 405
    assert signed_in_as(client) == cast.peer
    assert client.get(reverse("home")).status_code == 200

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert signed_in_as(client) is None
    home = client.get(reverse("home"))
    assert home.status_code == 302
    assert home["Location"].startswith(reverse("login"))


# Passwords ------------------------------------------------------------------


def test_password_reset_email_and_new_password(cast, client, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": "PEER@a.test"})
    assert response["Location"] == reverse("password_reset_done")

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["peer@a.test"]
    assert message.subject == "Reset your SafeSpace password"
    for secret in (cast.group_a.name, cast.org_a.name, "Pat Peer"):
        assert secret not in message.subject
        assert secret not in message.body
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", message.body).group(1)

    form_url = client.get(link)["Location"]
    done = client.post(
        form_url, {"new_password1": "a-brand-new-secret-9", "new_password2": "a-brand-new-secret-9"}
    )
    assert done["Location"] == reverse("password_reset_complete")
    cast.peer.refresh_from_db()
    assert cast.peer.check_password("a-brand-new-secret-9")
    assert not cast.peer.check_password(PASSWORD)
    # The link works once.
    again = client.get(link)
    assert again.status_code == 200
    assert again.context["validlink"] is False


def test_password_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(
    cast, client, mailoutbox
):
    response = client.post(reverse("password_reset"), {"email": "nobody@a.test"})
    assert response["Location"] == reverse("password_reset_done")
    assert mailoutbox == []


def test_password_change(cast, client_for):
    client = client_for(cast.peer)
    url = reverse("password_change")

    wrong = client.post(
        url,
        {
            "old_password": WRONG,
            "new_password1": "a-brand-new-secret-9",
            "new_password2": "a-brand-new-secret-9",
        },
    )
    assert wrong.status_code == 200
    assert "old_password" in wrong.context["form"].errors
    cast.peer.refresh_from_db()
    assert cast.peer.check_password(PASSWORD)

    response = client.post(
        url,
        {
            "old_password": PASSWORD,
            "new_password1": "a-brand-new-secret-9",
            "new_password2": "a-brand-new-secret-9",
        },
    )

    assert response["Location"] == reverse("password_change_done")
    cast.peer.refresh_from_db()
    assert cast.peer.check_password("a-brand-new-secret-9")
    assert signed_in_as(client) == cast.peer  # still signed in on this device
    client.logout()
    assert sign_in(client, "peer@a.test", "a-brand-new-secret-9").status_code == 302


def test_password_change_applies_the_password_rules(cast, client_for):
    client = client_for(cast.peer)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "short", "new_password2": "short"},
    )
    assert response.status_code == 200
    assert "This password is too short. It must contain at least 10 characters." in text(response)
    cast.peer.refresh_from_db()
    assert cast.peer.check_password(PASSWORD)


# Account page ---------------------------------------------------------------


def test_account_page_changes_the_display_name(cast, client_for):
    client = client_for(cast.peer)
    page = text(client.get(reverse("account")))
    assert "peer@a.test" in page  # your own email, shown to you

    response = client.post(reverse("account"), {"display_name": "  Patch  "}, follow=True)

    assert response.redirect_chain == [(reverse("account"), 302)]
    assert "Your display name has been changed." in text(response)
    cast.peer.refresh_from_db()
    assert cast.peer.display_name == "Patch"
    assert "Signed in as Patch" in text(response)


@pytest.mark.parametrize("name", ["", "   ", "x" * 61])
def test_account_page_refuses_a_bad_display_name(cast, client_for, name):
    client = client_for(cast.peer)
    response = client.post(reverse("account"), {"display_name": name})
    assert response.status_code == 200
    assert response.context["form"].errors["display_name"]
    cast.peer.refresh_from_db()
    assert cast.peer.display_name == "Pat Peer"


def test_account_page_needs_signing_in(db, client):
    response = client.get(reverse("account"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={reverse('account')}"


# Help -----------------------------------------------------------------------


def test_help_page_is_public_and_says_it_is_not_a_crisis_service(db, client):
    response = client.get(reverse("help"))

    assert response.status_code == 200
    page = text(response)
    assert "SafeSpace is not a crisis service." in page
    assert "999" in page
    assert "116 123" in page  # Samaritans


def test_every_page_links_to_help(cast, client_for):
    for user, url in [
        (None, reverse("login")),
        (cast.peer, reverse("home")),
        (cast.peer, reverse("groups:detail", args=[cast.group_a.slug])),
    ]:
        page = text(client_for(user).get(url))
        assert f'href="{reverse("help")}"' in page, url
        assert "It is not a crisis service." in page, url
