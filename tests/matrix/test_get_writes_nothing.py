"""No GET changes anything: every URL pattern, as every role, in a bare world.

The matrix checks GETs in a world where everything already exists. This walk is
for what a page might make on first sight: the cast's organisation and group
have nothing yet (no ground rules, no rulebook, no venues, no question template),
and every URL argument points at them, or at something that does not exist. Only
the session may change (signing in, the time of the last request), and the audit
trail, by a page that shows the breach log or exports the dashboard, noting so.
"""

import uuid

import pytest
from django.urls import get_resolver, reverse
from django.urls.converters import IntConverter, UUIDConverter

from tests.builders import database_state, without_audit_reads
from tests.matrix.table import EXPECTED, ROLES
from tests.matrix.test_completeness import _url_patterns
from tests.matrix.world import NO_KEY
from venues.models import Template

GET_URLS = sorted(name for name, method in EXPECTED if method == "GET")


def _kwargs(cast, name):
    """URL arguments for `name` in the bare world: the cast's organisation or group, the
    first of anything numbered, a default question, or something that does not exist."""
    pattern = dict(_url_patterns(get_resolver().url_patterns))[name].pattern
    route = str(pattern)
    kwargs = {}
    for key, converter in pattern.converters.items():
        if key == "slug":
            kwargs[key] = (cast.org_a if route.startswith("organisations/") else cast.group_a).slug
        elif key in ("key", "question"):
            kwargs[key] = NO_KEY  # one of the default questions
        elif key == "section":
            kwargs[key] = "being_safe"
        elif isinstance(converter, UUIDConverter):
            kwargs[key] = uuid.uuid4()
        elif isinstance(converter, IntConverter):
            kwargs[key] = 1
        else:
            kwargs[key] = "bare-world"
    return kwargs


def _app_state():
    state = database_state()
    state.pop("sessions.Session")
    return state


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", GET_URLS)
def test_no_get_changes_the_database(name, role, cast, client):
    actor = getattr(cast, role, None)
    if actor is not None:
        client.force_login(actor)
    url = reverse(name, kwargs=_kwargs(cast, name))
    before = _app_state()
    response = client.get(url)
    assert response.status_code < 500, (name, role, response.status_code)
    after = without_audit_reads(before, _app_state(), allowed=response.status_code == 200)
    assert after == before, f"GET {url} as {role} changed the database"


def test_the_walk_reaches_pages_that_could_make_things(cast, client):
    """The bare world is really bare, and its organisation's question page shows the
    default questions without saving them."""
    client.force_login(cast.coordinator)
    response = client.get(reverse("venues:questions", args=[cast.org_a.slug]))
    assert response.status_code == 200
    assert "Version 1." in response.content.decode()
    assert not Template.objects.exists()
