"""The matrix itself: every (URL, method, role) of table.py, and its invariants.

For every request: the status (or redirect) the table expects; a refusal changed
nothing, sent no email and names nothing of group A; an outsider's refusal is
exactly the answer for an object that does not exist; nobody sees another cast
member's email address; only facilitators and coordinators see the breach log, a
check's notes, its actions or peers' comments; a 200 page shows what it is for and
changed nothing; a successful action did what it should (its effect check). See
tests/matrix/__init__.py.
"""

import re
import uuid
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from groundrules.models import Agreement
from tests import pages
from tests.builders import database_state, without_audit_reads
from tests.matrix.effects_groundrules import rules_url
from tests.matrix.page import redirects_to
from tests.matrix.specs import PAGES
from tests.matrix.table import EXPECTED, OUTSIDERS, REFUSALS, ROLES, URL_NAMES
from tests.matrix.world import (
    BREACH_TEXT,
    FOLLOW_UP_NOTE,
    LEADERS_ONLY,
    TO_COORDINATORS_TEXT,
    TO_FACILITATORS_TEXT,
)


def _bogus(kwargs):
    """The same URL arguments, pointing at objects that do not exist."""

    def bogus(value):
        if isinstance(value, uuid.UUID):
            return uuid.uuid4()
        if isinstance(value, int):
            return value + 1000
        return "doesnotexist"

    return {key: bogus(value) for key, value in kwargs.items()}


def _text(response):
    return pages.body(response).decode() + "\n" + response.get("Location", "")


_CSRF_TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*"')


def _page(response):
    """The response body, without the masked CSRF token (different on every page)."""
    return _CSRF_TOKEN.sub(rb'\1"', pages.body(response))


CASES = [
    pytest.param(name, method, role, id=f"{name}-{method}-{role}")
    for (name, method), by_role in EXPECTED.items()
    for role in by_role
]


# The matrix ------------------------------------------------------------------


@pytest.mark.parametrize(("name", "method", "role"), CASES)
def test_permission_matrix(
    name, method, role, world, client, mailoutbox, django_capture_on_commit_callbacks
):
    expected = EXPECTED[name, method][role]
    page = PAGES[name]
    if page.setup:
        page.setup(world)
    actor = getattr(world.cast, role, None)
    if actor is not None:
        client.force_login(actor)
        actor.refresh_from_db()
    kwargs = page.kwargs(world)
    url = reverse(name, kwargs=kwargs)
    data = page.post(world, actor) if method == "POST" else None

    before = database_state()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data) if method == "POST" else client.get(url)

    if expected == "done":
        assert page.effect is not None, f"{name} has no effect check"
        page.effect(world, actor, response, client, mailoutbox)
        return

    # Everything that is not a successful action changes nothing and sends nothing (but a
    # page that shows the breach log or exports the dashboard puts that on the audit trail).
    after = without_audit_reads(before, database_state(), allowed=expected == "200")
    assert after == before, f"{name} {method} as {role} changed the database"
    assert mailoutbox == []
    body = _text(response)

    if expected == "login":
        assert response.status_code == 302
        location = urlsplit(response["Location"])
        assert location.path == reverse("login")
        assert parse_qs(location.query) == {"next": [url]}
    elif expected == "to_home":
        assert response.status_code == 302
        assert response["Location"] == reverse("home")
    elif expected == "to_dash":
        organisation = {"coordinator": world.cast.org_a, "other_coordinator": world.cast.org_b}
        assert response.status_code == 302
        assert response["Location"] == reverse("dashboard", args=[organisation[role].slug])
    else:
        assert response.status_code == int(expected), (
            f"{name} {method} as {role}: {response.status_code}, expected {expected}"
        )

    if expected == "200":
        for text in page.shows(world, role, actor):
            assert text in body, f"{text!r} missing from {name} {method} as {role}"

    if expected in REFUSALS:
        for secret in world.secrets:
            assert secret not in body, f"{name} {method} as {role} leaks {secret!r}"

    # Nobody ever sees another cast member's email address.
    for person in (getattr(world.cast, r) for r in ROLES[1:]):
        if person != actor:
            assert person.email not in body, f"{name} {method} as {role} shows {person.email}"

    # The breach log is confidential to facilitators and coordinators: no other
    # page, and no refusal, shows what was recorded in it.
    if role not in ("coordinator", "facilitator"):
        assert BREACH_TEXT not in body, f"{name} {method} as {role} shows the breach log"
        # ... nor a venue check's notes, its actions, or peers' anonymous comments.
        for secret in LEADERS_ONLY:
            assert secret not in body, f"{name} {method} as {role} shows {secret!r}"

    # A private message is read only by the people it was sent to: the one to group A's
    # facilitators by its facilitator, the one to the coordinators (about a facilitator)
    # by organisation A's coordinator. Never by anyone else, on any page.
    if role != "facilitator":
        assert TO_FACILITATORS_TEXT not in body, f"{name} {method} as {role} shows it"
    if role != "coordinator":
        for secret in (TO_COORDINATORS_TEXT, FOLLOW_UP_NOTE):
            assert secret not in body, f"{name} {method} as {role} shows {secret!r}"

    if role in OUTSIDERS:
        # Outsiders see nothing of group A: not its name, purpose or
        # organisation, not who is in it.
        members = [world.cast.coordinator, world.cast.facilitator, world.cast.peer]
        for secret in [*world.secrets, *(m.display_name for m in members)]:
            assert secret not in body, f"{name} {method} as {role} shows {secret!r}"
        # ... and cannot tell group A exists: the refusal is exactly the
        # answer for a group that does not.
        if page.private_object:
            bogus_url = reverse(name, kwargs=_bogus(kwargs))
            other = client.post(bogus_url, data) if method == "POST" else client.get(bogus_url)
            assert (other.status_code, _page(other)) == (response.status_code, _page(response))
            assert database_state() == before


# The newcomer gate ------------------------------------------------------------

# NewcomerMiddleware.EXEMPT_URL_NAMES, as far as ground rules pages go.
GATE_EXEMPT = {"groundrules:answer", "groundrules:print", "groundrules:handout"}


@pytest.mark.parametrize("name", [name for name in URL_NAMES if name.startswith("groundrules:")])
def test_newcomer_gate_sends_members_who_have_not_answered_to_the_rules(name, world, client):
    """The matrix's members have answered version 1. A peer who has not is sent,
    on any GET of a ground rules page (even a POST-only one), to read and answer
    the current rules first; only the answer page itself and the print-outs are
    let through. Nothing changes on the way."""
    Agreement.objects.filter(version=world.rules.current, user=world.cast.peer).delete()
    client.force_login(world.cast.peer)
    url = reverse(name, kwargs=PAGES[name].kwargs(world))

    before = database_state()
    response = client.get(url)
    assert database_state() == before
    if name in GATE_EXEMPT:
        assert response.status_code == int(EXPECTED[name, "GET"]["peer"])
    else:
        redirects_to(response, rules_url("answer", world, world.rules.current.number))
