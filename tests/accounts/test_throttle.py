"""Sign-in throttling played as an attacker would: spellings, empty posts, the admin's
own sign-in, a shared proxy address, forged headers, and old rows.

The races (many guesses at the same moment) are in test_throttle_concurrency.py.
"""

import html
from datetime import timedelta

import pytest
from django.contrib.auth import get_user, get_user_model
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from groups.models.people import normalise_email
from safespace.accounts import throttle
from safespace.accounts.models import SignInThrottle
from tests.builders import make_user

PASSWORD = "correct-horse-battery"
WRONG = "not-the-password"
THROTTLE = {
    "SIGNIN_SLOW_AFTER": 3,
    "SIGNIN_LOCK_AFTER": 10,
    "SIGNIN_LOCK_MINUTES": 15,
    "SIGNIN_ADDRESS_MAX_WAIT_SECONDS": 60,
    "TRUSTED_PROXY_COUNT": 0,
}
TOO_MANY = "Too many attempts to sign in."

User = get_user_model()


def text(response) -> str:
    return html.unescape(response.content.decode())


def sign_in(client, email, password, address="127.0.0.1", url=None, **extra):
    data = {"username": email}
    if password is not None:
        data["password"] = password
    return client.post(url or reverse("login"), data, REMOTE_ADDR=address, **extra)


def signed_in_as(client):
    user = get_user(client)
    return user if user.is_authenticated else None


def let_time_pass():
    """As if every current wait had run out (without touching the failure counts)."""
    SignInThrottle.objects.update(blocked_until=timezone.now() - timedelta(seconds=1))


def lock_out(client, email, url=None):
    """Ten failures for one account, each from its own address, waiting out each slow-down."""
    for n in range(10):
        let_time_pass()
        sign_in(client, email, WRONG, address=f"10.20.{len(email)}.{n}", url=url)


# 1. Spellings: the throttle sees the address exactly as authentication does -------------

VARIANTS = [
    "ｐeer@a.test",  # a fullwidth letter
    "ＰＥＥＲ＠ａ．ｔｅｓｔ",  # fullwidth everything, even the @ and the dot
    "𝐩𝐞𝐞𝐫@a.test",  # mathematical bold
    "  PEER@A.TEST ",
    "peer@a.test\u3000",  # an ideographic space
]


@pytest.mark.parametrize("variant", VARIANTS)
def test_every_spelling_of_an_address_signs_in_to_the_same_account(cast, variant):
    assert normalise_email(variant) == "peer@a.test"
    assert User.objects.get_by_natural_key(variant) == cast.peer


@override_settings(**THROTTLE)
@pytest.mark.parametrize("variant", VARIANTS)
def test_a_locked_account_stays_locked_whatever_the_spelling(cast, client, variant):
    lock_out(client, "peer@a.test")

    refused = sign_in(client, variant, PASSWORD, address="10.30.0.1")

    assert TOO_MANY in text(refused)
    assert signed_in_as(client) is None


@override_settings(**THROTTLE)
def test_failures_in_different_spellings_add_up_on_one_account(cast, client):
    for n in range(10):
        let_time_pass()
        sign_in(client, VARIANTS[n % len(VARIANTS)], WRONG, address=f"10.31.0.{n}")
    let_time_pass()
    SignInThrottle.objects.filter(failures__gte=10).update(
        blocked_until=timezone.now() + timedelta(minutes=15)
    )

    refused = sign_in(client, "peer@a.test", PASSWORD, address="10.31.1.1")

    assert TOO_MANY in text(refused)
    assert signed_in_as(client) is None
    assert SignInThrottle.objects.filter(failures=10).count() == 1


@given(st.text(max_size=40))
def test_normalising_twice_changes_nothing(value):
    once = normalise_email(value)
    assert normalise_email(once) == once


@given(st.text(max_size=40))
def test_the_throttle_key_is_the_key_of_the_normalised_address(value):
    assert throttle.account_key(value) == throttle.account_key(normalise_email(value))


# 2. Only a real authentication counts as success -------------------------------------------


@override_settings(**THROTTLE)
@pytest.mark.parametrize(
    "post",
    [
        {"username": "peer@a.test"},
        {"username": "peer@a.test", "password": ""},
        {"password": PASSWORD},
        {"username": "", "password": WRONG},
        {"username": "peer@a.test", "password": "", "next": "/"},
    ],
    ids=["no-password", "empty-password", "no-email", "empty-email", "empty-with-next"],
)
def test_a_post_that_authenticates_nobody_does_not_clear_the_count(cast, client, post):
    for n in range(2):
        sign_in(client, "peer@a.test", WRONG, address=f"10.40.0.{n}")

    response = client.post(reverse("login"), post, REMOTE_ADDR="10.40.1.1")
    assert response.status_code == 200
    assert signed_in_as(client) is None

    # Had the empty post cleared the count, this would be failure one, not three.
    sign_in(client, "peer@a.test", WRONG, address="10.40.0.3")
    refused = sign_in(client, "peer@a.test", PASSWORD, address="10.40.0.4")
    assert TOO_MANY in text(refused)
    assert signed_in_as(client) is None


@override_settings(**THROTTLE)
def test_an_inactive_account_with_the_right_password_is_a_failure(cast, client):
    cast.peer.is_active = False
    cast.peer.save()
    for n in range(3):
        sign_in(client, "peer@a.test", PASSWORD, address=f"10.41.0.{n}")

    assert SignInThrottle.objects.get(key=throttle.account_key("peer@a.test")).failures == 3


# 4. The admin's sign-in goes through the same throttle -----------------------------------


@pytest.fixture
def admin_user(db):
    user = make_user("Site Admin", "admin@a.test")
    user.is_staff = user.is_superuser = True
    user.save()
    return user


@override_settings(**THROTTLE)
def test_the_admin_sign_in_is_locked_after_many_failures(admin_user, client):
    url = reverse("admin:login")
    lock_out(client, "admin@a.test", url=url)

    refused = sign_in(client, "admin@a.test", PASSWORD, address="10.50.0.1", url=url)

    assert refused.status_code == 200
    assert TOO_MANY in text(refused)
    assert signed_in_as(client) is None
    # And the site's own sign-in is locked for that account too: one count, two doors.
    assert TOO_MANY in text(sign_in(client, "admin@a.test", PASSWORD, address="10.50.0.2"))
    assert signed_in_as(client) is None


@override_settings(**THROTTLE)
@pytest.mark.parametrize("variant", ["ａｄｍｉｎ@a.test", "ADMIN@A.TEST"])
def test_failures_on_the_site_sign_in_lock_the_admin_sign_in(admin_user, client, variant):
    lock_out(client, "admin@a.test")

    url = reverse("admin:login")
    refused = sign_in(client, variant, PASSWORD, address="10.51.0.1", url=url)

    assert TOO_MANY in text(refused)
    assert signed_in_as(client) is None


@override_settings(**THROTTLE)
def test_the_admin_sign_in_still_works(admin_user, client):
    url = reverse("admin:login")
    response = sign_in(client, "admin@a.test", PASSWORD, url=url, address="10.52.0.1")
    assert response.status_code == 302
    assert signed_in_as(client) == admin_user


# 5. Addresses: trusted proxies, and an address only slows -------------------------------


def request_from(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().post("/accounts/login/", **extra)


@pytest.mark.parametrize(
    "proxies, remote, forwarded, expected",
    [
        # No trusted proxy: X-Forwarded-For is anyone's to write, so it is ignored.
        (0, "203.0.113.9", "198.51.100.1", "203.0.113.9"),
        (0, "203.0.113.9", None, "203.0.113.9"),
        # One proxy: it appends the address it saw, the rightmost entry.
        (1, "10.0.0.2", "198.51.100.1", "198.51.100.1"),
        (1, "10.0.0.2", "6.6.6.6, 198.51.100.1", "198.51.100.1"),
        (1, "10.0.0.2", " 6.6.6.6 ,198.51.100.1 ", "198.51.100.1"),
        # Two proxies: the client is the second from the right.
        (2, "10.0.0.2", "6.6.6.6, 198.51.100.1, 10.0.0.1", "198.51.100.1"),
        # Fewer entries than proxies (the request skipped a proxy): only REMOTE_ADDR is sure.
        (2, "10.0.0.2", "198.51.100.1", "10.0.0.2"),
        (1, "10.0.0.2", None, "10.0.0.2"),
        (1, "10.0.0.2", "", "10.0.0.2"),
        # Not an address at all: REMOTE_ADDR.
        (1, "10.0.0.2", "6.6.6.6, not-an-address", "10.0.0.2"),
        (1, "10.0.0.2", "6.6.6.6, " + "9" * 5000, "10.0.0.2"),
        # IPv6: one household or phone holds a whole /64, so that is the key.
        (0, "2001:db8:1:2:aaaa::1", None, "2001:db8:1:2::/64"),
        (1, "10.0.0.2", "2001:db8:1:2:bbbb::7", "2001:db8:1:2::/64"),
        (0, "::ffff:203.0.113.9", None, "203.0.113.9"),
    ],
)
def test_the_client_address_comes_from_the_trusted_proxies_only(
    proxies, remote, forwarded, expected
):
    with override_settings(TRUSTED_PROXY_COUNT=proxies):
        assert throttle.client_address(request_from(remote, forwarded)) == expected


@override_settings(**THROTTLE)
def test_a_forged_forwarded_for_does_not_escape_the_address_slow_down(cast, client):
    for n in range(3):
        sign_in(
            client,
            f"guess{n}@a.test",
            WRONG,
            address="10.60.0.1",
            HTTP_X_FORWARDED_FOR=f"{n}.1.1.1",
        )

    refused = sign_in(client, "guess9@a.test", WRONG, "10.60.0.1", HTTP_X_FORWARDED_FOR="9.9.9.9")
    assert TOO_MANY in text(refused)


@override_settings(**{**THROTTLE, "TRUSTED_PROXY_COUNT": 1})
def test_behind_a_trusted_proxy_each_client_has_its_own_count(cast, client):
    proxy = "10.61.0.1"
    for n in range(3):
        sign_in(client, f"guess{n}@a.test", WRONG, proxy, HTTP_X_FORWARDED_FOR="198.51.100.66")
    slowed = sign_in(client, "guess9@a.test", WRONG, proxy, HTTP_X_FORWARDED_FOR="198.51.100.66")
    assert TOO_MANY in text(slowed)
    # Prepending a made-up address does not get the attacker a new count.
    forged = sign_in(
        client, "guess9@a.test", WRONG, proxy, HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.66"
    )
    assert TOO_MANY in text(forged)

    # Someone else behind the same proxy is not slowed down.
    ok = sign_in(client, "peer@a.test", PASSWORD, proxy, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert ok.status_code == 302
    assert signed_in_as(client) == cast.peer


@override_settings(**THROTTLE)
def test_many_failures_from_one_address_never_lock_out_a_real_user(cast, client):
    shared = "10.62.0.1"  # e.g. everyone behind one proxy or one office's network
    for n in range(40):
        let_time_pass()
        sign_in(client, f"made-up-{n}@a.test", WRONG, address=shared)

    # The real user may be asked to wait a little, never the lock-out's fifteen minutes.
    slowed = sign_in(client, "peer@a.test", PASSWORD, address=shared)
    assert signed_in_as(client) is None
    assert "Please wait 60 seconds and try again" in text(slowed)
    (row,) = SignInThrottle.objects.filter(key=throttle.address_key(shared))
    assert row.blocked_until - timezone.now() <= timedelta(seconds=60)

    let_time_pass()
    assert sign_in(client, "peer@a.test", PASSWORD, address=shared).status_code == 302
    assert signed_in_as(client) == cast.peer


@override_settings(**{**THROTTLE, "SIGNIN_ADDRESS_MAX_WAIT_SECONDS": 20})
def test_the_longest_wait_for_an_address_is_a_setting(cast, client):
    for n in range(12):
        let_time_pass()
        sign_in(client, f"made-up-{n}@a.test", WRONG, address="10.63.0.1")

    slowed = sign_in(client, "peer@a.test", PASSWORD, address="10.63.0.1")
    assert "Please wait 20 seconds and try again" in text(slowed)


@override_settings(**THROTTLE)
def test_successful_sign_ins_do_not_count_against_a_shared_address(cast, client):
    shared = "10.64.0.1"
    for _ in range(6):
        assert sign_in(client, "peer@a.test", PASSWORD, address=shared).status_code == 302
        client.logout()
    assert sign_in(client, "nobody@a.test", WRONG, address=shared).status_code == 200
    assert SignInThrottle.objects.get(key=throttle.address_key(shared)).failures == 1


# 6. Old rows are forgotten ------------------------------------------------------------------


@override_settings(**THROTTLE)
def test_forget_old_removes_rows_a_day_old_and_keeps_current_ones(cast, client):
    for n in range(3):
        sign_in(client, "peer@a.test", WRONG, address=f"10.70.0.{n}")
    old = timezone.now() - timedelta(days=1, minutes=1)
    SignInThrottle.objects.exclude(key=throttle.account_key("peer@a.test")).update(updated=old)
    locked = SignInThrottle.objects.create(
        key="f" * 64, failures=12, blocked_until=timezone.now() + timedelta(minutes=5)
    )
    SignInThrottle.objects.filter(pk=locked.pk).update(updated=old)

    assert throttle.forget_old() == 3

    remaining = set(SignInThrottle.objects.values_list("key", flat=True))
    assert remaining == {throttle.account_key("peer@a.test"), "f" * 64}
