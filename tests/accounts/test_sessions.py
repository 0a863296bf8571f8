"""Sessions on shared and family devices: idle and absolute limits, signing out
everywhere else, a cookie that does not outlive the browser, no cached pages, and
no HTTP methods but GET, HEAD and POST.
"""

import html
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import get_user
from django.contrib.sessions.models import Session
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from safespace.accounts.middleware import LAST_SEEN, SIGNED_IN_AT

PASSWORD = "correct-horse-battery"
IDLE = "You have been signed out because SafeSpace was not used for 30 minutes."
TOO_LONG = "You have been signed out because you signed in more than 12 hours ago."


def text(response) -> str:
    return html.unescape(response.content.decode())


def signed_in_as(client):
    user = get_user(client)
    return user if user.is_authenticated else None


def sign_in(client, user):
    response = client.post(reverse("login"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return response


def shift(client, **ago):
    """Move the session's clocks back, as if the time had passed."""
    session = client.session
    for key, delta in ago.items():
        session[key] = session[key] - delta.total_seconds()
    session.save()


# Idle and absolute limits --------------------------------------------------------------


def test_after_thirty_idle_minutes_you_are_signed_out_and_told_why(cast, client):
    sign_in(client, cast.peer)
    shift(client, **{LAST_SEEN: timedelta(minutes=30, seconds=1)})

    url = reverse("groups:detail", args=[cast.group_a.slug])
    response = client.get(url)

    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == reverse("login")
    assert parse_qs(location.query) == {"next": [url]}
    assert signed_in_as(client) is None
    page = text(client.get(response["Location"]))
    assert IDLE in page
    assert "Pat Peer" not in page
    assert client.get(url).status_code == 302


def test_using_the_app_keeps_you_signed_in(cast, client):
    sign_in(client, cast.peer)
    for _ in range(3):  # an hour and a half in all, never idle for thirty minutes
        shift(client, **{LAST_SEEN: timedelta(minutes=29), SIGNED_IN_AT: timedelta(minutes=29)})
        assert client.get(reverse("home")).status_code == 200
    assert signed_in_as(client) == cast.peer


def test_a_post_after_the_idle_limit_changes_nothing(cast, client):
    sign_in(client, cast.peer)
    shift(client, **{LAST_SEEN: timedelta(minutes=45)})

    response = client.post(reverse("account"), {"display_name": "Changed Later"})

    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    cast.peer.refresh_from_db()
    assert cast.peer.display_name == "Pat Peer"


def test_signing_out_after_the_limit_does_not_come_back_to_sign_out(cast, client):
    sign_in(client, cast.peer)
    shift(client, **{LAST_SEEN: timedelta(minutes=45)})

    response = client.post(reverse("logout"), follow=True)

    assert response.redirect_chain == [(reverse("login"), 302)]
    assert IDLE in text(response)
    again = client.post(reverse("login"), {"username": "peer@a.test", "password": PASSWORD})
    assert again["Location"] == reverse("home")


def test_after_twelve_hours_you_are_signed_out_however_busy(cast, client):
    sign_in(client, cast.peer)
    shift(client, **{SIGNED_IN_AT: timedelta(hours=12, seconds=1)})  # but just active

    response = client.get(reverse("home"), follow=True)

    assert response.redirect_chain[0][0].startswith(reverse("login"))
    assert TOO_LONG in text(response)
    assert signed_in_as(client) is None


def test_opening_the_sign_in_page_after_the_limit_says_why(cast, client):
    sign_in(client, cast.peer)
    shift(client, **{LAST_SEEN: timedelta(hours=2)})

    response = client.get(reverse("login"))

    assert response.status_code == 200
    assert IDLE in text(response)
    assert signed_in_as(client) is None


@override_settings(SESSION_IDLE_TIMEOUT=timedelta(minutes=5), SESSION_MAX_AGE=timedelta(hours=1))
def test_both_limits_are_settings(cast, client):
    sign_in(client, cast.peer)
    shift(client, **{LAST_SEEN: timedelta(minutes=4)})
    assert client.get(reverse("home")).status_code == 200
    shift(client, **{LAST_SEEN: timedelta(minutes=5)})
    response = client.get(reverse("home"), follow=True)
    assert "was not used for 5 minutes" in text(response)

    sign_in(client, cast.peer)
    shift(client, **{SIGNED_IN_AT: timedelta(minutes=61)})
    response = client.get(reverse("home"), follow=True)
    assert "you signed in more than 1 hour ago" in text(response)


def test_a_session_without_its_clocks_is_ended(cast, client):
    """A session from before the limits (or made some other way) is not trusted forever."""
    sign_in(client, cast.peer)
    session = client.session
    del session[SIGNED_IN_AT]
    session.save()

    response = client.get(reverse("home"), follow=True)

    assert "For your safety you have been signed out." in text(response)
    assert signed_in_as(client) is None


def test_activity_is_recorded_at_most_once_a_minute(cast, client):
    sign_in(client, cast.peer)
    recorded = client.session[LAST_SEEN]
    client.get(reverse("home"))
    assert client.session[LAST_SEEN] == recorded  # no write for every page

    shift(client, **{LAST_SEEN: timedelta(minutes=2)})
    client.get(reverse("home"))
    assert client.session[LAST_SEEN] == pytest.approx(timezone.now().timestamp(), abs=5)


# The cookie ------------------------------------------------------------------------------


def test_the_session_cookie_ends_with_the_browser(cast, client):
    response = sign_in(client, cast.peer)

    cookie = response.cookies["sessionid"]
    assert cookie["expires"] == ""
    assert cookie["max-age"] == ""
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    # On the server, the session is gone a day after the absolute limit at the latest.
    (session,) = Session.objects.all()
    assert session.expire_date <= timezone.now() + timedelta(hours=12, days=1)


# Sign out everywhere else ----------------------------------------------------------------


def test_sign_out_everywhere_else_ends_every_other_session(cast, client):
    phone, library_computer, other_person = Client(), Client(), Client()
    for device in (phone, library_computer):
        sign_in(device, cast.peer)
    sign_in(other_person, cast.facilitator)
    sign_in(client, cast.peer)

    response = client.post(reverse("sign_out_everywhere"), follow=True)

    assert response.redirect_chain == [(reverse("account"), 302)]
    assert "You have been signed out on every other device and browser." in text(response)
    assert signed_in_as(client) == cast.peer
    assert client.get(reverse("home")).status_code == 200
    for device in (phone, library_computer):
        assert signed_in_as(device) is None
        assert device.get(reverse("home")).status_code == 302
    assert signed_in_as(other_person) == cast.facilitator
    # Signing in again works as before.
    sign_in(phone, cast.peer)
    assert phone.get(reverse("home")).status_code == 200


def test_sign_out_everywhere_changes_this_sessions_key(cast, client):
    sign_in(client, cast.peer)
    before = client.session.session_key
    client.post(reverse("sign_out_everywhere"))
    assert client.session.session_key != before
    assert signed_in_as(client) == cast.peer


def test_sign_out_everywhere_is_on_the_account_page_and_needs_a_post(cast, client_for):
    client = client_for(cast.peer)
    page = text(client.get(reverse("account")))
    assert f'action="{reverse("sign_out_everywhere")}"' in page
    assert "Sign out everywhere else" in page
    assert "SafeSpace signs you out after 30 minutes without use, and always 12 hours" in page

    assert client.get(reverse("sign_out_everywhere")).status_code == 405
    token = cast.peer.session_token
    cast.peer.refresh_from_db()
    assert cast.peer.session_token == token


def test_changing_the_password_ends_other_sessions(cast, client):
    other = Client()
    sign_in(other, cast.peer)
    sign_in(client, cast.peer)
    client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-brand-new-secret-9",
            "new_password2": "a-brand-new-secret-9",
        },
    )
    assert signed_in_as(client) == cast.peer
    assert signed_in_as(other) is None


# No caching ------------------------------------------------------------------------------


def no_store(response):
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives


def test_signed_in_pages_are_never_stored(cast, client_for):
    coordinator = client_for(cast.coordinator)
    for url in [
        reverse("home"),
        reverse("account"),
        reverse("dashboard", args=[cast.org_a.slug]),
        reverse("dashboard_csv", args=[cast.org_a.slug]),
        reverse("groundrules:breaches", args=[cast.group_a.slug]),
        reverse("groups:detail", args=[cast.group_a.slug]),
        "/no-such-page/",
    ]:
        response = coordinator.get(url)
        assert no_store(response), (url, response.status_code, response.get("Cache-Control"))
    response = coordinator.post(reverse("sign_out_everywhere"))
    assert no_store(response)


def test_the_sign_in_page_and_other_public_pages_are_never_stored(db, client):
    for url in [reverse("login"), reverse("help"), reverse("password_reset")]:
        response = client.get(url)
        assert response.status_code == 200
        assert no_store(response), url
    assert no_store(client.post(reverse("login"), {"username": "x@a.test", "password": "y"}))


# Methods ---------------------------------------------------------------------------------

METHODS = ["TRACE", "PUT", "PATCH", "DELETE", "OPTIONS", "CONNECT", "PROPFIND", "FOO"]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("who", ["anonymous", "coordinator"])
def test_only_get_head_and_post_reach_the_app(cast, client_for, method, who):
    client = client_for(cast.coordinator if who == "coordinator" else None)
    urls = [
        reverse("home"),
        reverse("login"),
        reverse("logout"),
        reverse("account"),
        reverse("help"),
        reverse("groups:detail", args=[cast.group_a.slug]),
        reverse("dashboard", args=[cast.org_a.slug]),
        reverse("dashboard_csv", args=[cast.org_a.slug]),
        reverse("admin:index"),
        "/no-such-page/",
    ]
    for url in urls:
        response = client.generic(method, url, data="display_name=Changed")
        assert response.status_code == 405, (method, url, response.status_code)
        assert response["Allow"] == "GET, HEAD, POST"
        assert b"Cora" not in response.content and b"Riverside" not in response.content
    cast.coordinator.refresh_from_db()
    assert cast.coordinator.display_name == "Cora Coordinator"


def test_get_head_and_post_still_work(cast, client_for):
    client = client_for(cast.peer)
    assert client.get(reverse("home")).status_code == 200
    assert client.head(reverse("home")).status_code == 200
    assert client.post(reverse("account"), {"display_name": "Pat"}).status_code == 302


def test_a_session_is_read_only_while_it_lasts_and_only_by_its_own_key(cast, client):
    """The session is read by a prepared query (safespace/accounts/sessions.py): each
    cookie finds its own session, and none once the session's expiry has passed, even
    if its row is still there (the nightly clean-up has not run)."""
    other = Client()
    sign_in(client, cast.peer)
    sign_in(other, cast.facilitator)
    page = reverse("groups:list")
    for _ in range(3):
        assert signed_in_as(client) == cast.peer
        assert signed_in_as(other) == cast.facilitator
        assert client.get(page).status_code == other.get(page).status_code == 200
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    Session.objects.filter(session_key=key).update(expire_date=timezone.now())
    assert signed_in_as(client) is None
    response = client.get(page)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    # The expired row was not taken up again: the next session has a key of its own.
    assert Session.objects.filter(session_key=key).exists()
    assert client.cookies[settings.SESSION_COOKIE_NAME].value != key
    assert signed_in_as(other) == cast.facilitator
    # Someone who makes up a key, or alters a live one by a character, is nobody.
    live = other.cookies[settings.SESSION_COOKIE_NAME].value
    for forged in ("x" * 32, live[:-1] + ("a" if live[-1] != "a" else "b"), live + "%_"):
        stranger = Client()
        stranger.cookies[settings.SESSION_COOKIE_NAME] = forged
        response = stranger.get(page)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
