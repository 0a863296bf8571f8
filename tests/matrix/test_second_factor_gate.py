"""Every URL, walked as a coordinator who has signed in with their password and not yet
given the second factor they must use: each answers with a redirect to verify (when they
have an app or a passkey) or to set one up (when they have none), changing nothing, or is
one of the few pages that let them do that (and sign-out and "Get help now").

The admin site is walked too: it asks staff for a second factor like every other page.
"""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import override_settings
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from tests.accounts.second_factor import give_app
from tests.builders import database_state
from tests.matrix.specs import PAGES
from tests.matrix.table import URL_NAMES

# Written out here, not read from the middleware: a page let through must be a decision.
ALWAYS = {"logout", "help", "privacy", "otp_webauthn:js-i18n-catalog"}
LET_THROUGH = {
    "verify": ALWAYS
    | {
        "security_verify",
        "otp_webauthn:credential-authentication-begin",
        "otp_webauthn:credential-authentication-complete",
    },
    "setup": ALWAYS
    | {
        "security_setup",
        "security_app_start",
        "security_app",
        "otp_webauthn:credential-registration-begin",
        "otp_webauthn:credential-registration-complete",
    },
}
GATE = {"verify": "security_verify", "setup": "security_setup"}

# Sample arguments for the admin site's URLs.
ADMIN_KWARGS = {"app_label": "groups", "object_id": "1", "content_type_id": "1", "url": "x"}


def _admin_urls():
    admin = next(
        p
        for p in get_resolver().url_patterns
        if isinstance(p, URLResolver) and p.namespace == "admin"
    )
    urls = {}

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns)
            elif isinstance(pattern, URLPattern) and pattern.name:
                needed = {
                    k: v for k, v in ADMIN_KWARGS.items() if k in pattern.pattern.regex.groupindex
                }
                try:
                    urls[f"admin:{pattern.name}"] = reverse(f"admin:{pattern.name}", kwargs=needed)
                except NoReverseMatch:
                    continue

    walk(admin.url_patterns)
    return urls


ADMIN_URLS = _admin_urls()


def test_the_admin_site_is_walked():
    assert {"admin:index", "admin:login", "admin:groups_organisation_changelist"} <= set(ADMIN_URLS)
    assert len(ADMIN_URLS) > 40


CASES = [
    pytest.param(state, name, id=f"{state}-{name}")
    for state in ("verify", "setup")
    for name in [*URL_NAMES, *sorted(ADMIN_URLS)]
]


@pytest.mark.parametrize(("state", "name"), CASES)
@override_settings(MFA_REQUIRED_FOR=["coordinators", "admins"])
def test_every_url_holds_a_coordinator_who_owes_a_second_factor(state, name, world, client):
    coordinator = world.cast.coordinator
    # A site admin as well: the admin site lets them in only past the second factor.
    coordinator.is_staff = coordinator.is_superuser = True
    coordinator.save()
    if state == "verify":
        give_app(coordinator)
    if name in ADMIN_URLS:
        url = ADMIN_URLS[name]
    else:
        page = PAGES[name]
        if page.setup:
            page.setup(world)
        url = reverse(name, kwargs=page.kwargs(world))
    client.force_login(coordinator)  # the password, and no second factor yet
    gate = reverse(GATE[state])

    for method in ("GET", "POST"):
        before = database_state()
        response = client.get(url) if method == "GET" else client.post(url, {})
        location = urlsplit(response.get("Location", ""))
        held = response.status_code == 302 and location.path == gate
        if name in LET_THROUGH[state]:
            assert not held, f"{name} {method}: held, but it is a {state} page"
            continue
        assert held, f"{name} {method} answered {response.status_code} {location.path}"
        assert database_state() == before, f"{name} {method} changed the database"
        if method == "GET":
            assert parse_qs(location.query) == {"next": [url]}
        else:
            assert location.query == ""
