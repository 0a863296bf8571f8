"""The quick exit: on every page a member of a group that asked for it sees, and nowhere
else; survivors' groups have it unless they turn it off; no page makes a query more."""

import re

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from groups.conflicts import stamp_of
from groups.models import Group
from tests.builders import group, leave, make_organisation, make_user
from tests.pages import html

EXIT = 'id="quick-exit"'
SCRIPT = "/static/safespace/quick-exit.js"


@pytest.fixture
def w(db):
    cora, sam, pat, both = (make_user(n) for n in ("Cora", "Sam", "Pat", "Both"))
    org = make_organisation("Riverside", coordinators=[cora])
    survivors = group(org, "Survivors", peers=[sam, both], for_survivors=True)
    carers = group(org, "Carers", peers=[pat, both])
    return locals()


def _pages(w, person):
    own = w["survivors"] if person is not w["pat"] else w["carers"]
    return [
        reverse("home"),
        reverse("groups:list"),
        reverse("account"),
        reverse("help"),
        reverse("groups:detail", args=[own.slug]),
        reverse("groundrules:home", args=[own.slug]),
    ]


def _has_exit(response):
    page = html(response)
    return EXIT in page and SCRIPT in page


def test_a_member_of_a_survivors_group_has_it_on_every_page(w, client_for):
    for person in (w["sam"], w["both"]):
        client = client_for(person)
        for url in _pages(w, person):
            response = client.get(url, follow=True)
            assert _has_exit(response), (person, url)
    # Even on the pages of their other group.
    page = client_for(w["both"]).get(reverse("groups:detail", args=[w["carers"].slug]))
    assert _has_exit(page)


def test_nobody_else_has_it(w, client, client_for):
    for url in _pages(w, w["pat"]):
        assert not _has_exit(client_for(w["pat"]).get(url, follow=True)), url
    assert not _has_exit(client.get(reverse("help")))
    assert not _has_exit(client.get(reverse("login")))


def test_the_button_is_a_plain_link_that_leaves(w, client_for):
    page = html(client_for(w["sam"]).get(reverse("home")))
    link = re.search(r'<a id="quick-exit"[^>]*>(.*?)</a>', page)
    assert 'href="https://www.bbc.co.uk/weather"' in link.group(0)
    assert "Quick exit" in link.group(1)
    # Our own script, no inline script anywhere (strict CSP).
    assert re.findall(r"<script[^>]*>", page) == [f'<script src="{SCRIPT}" defer>']


@override_settings(QUICK_EXIT_URL="https://weather.example.org/")
def test_where_it_goes_is_a_setting(w, client_for):
    assert 'href="https://weather.example.org/"' in html(client_for(w["sam"]).get(reverse("home")))


@pytest.mark.parametrize(
    ("for_survivors", "setting", "shown"),
    [
        (True, Group.QuickExit.AUTO, True),
        (False, Group.QuickExit.AUTO, False),
        (False, Group.QuickExit.ON, True),
        (True, Group.QuickExit.OFF, False),
    ],
)
def test_the_group_setting_decides(w, client_for, for_survivors, setting, shown):
    Group.objects.filter(pk=w["survivors"].pk).update(
        for_survivors=for_survivors, quick_exit=setting
    )
    assert _has_exit(client_for(w["sam"]).get(reverse("home"))) is shown
    # The group's own model says the same as the query.
    w["survivors"].refresh_from_db()
    assert w["survivors"].shows_quick_exit is shown
    assert Group.objects.filter(Group.quick_exit_shown(), pk=w["survivors"].pk).exists() is shown


def test_leaving_the_group_or_archiving_it_takes_it_away(w, client_for):
    leave(w["survivors"], w["sam"])
    assert not _has_exit(client_for(w["sam"]).get(reverse("home")))
    Group.objects.filter(pk=w["survivors"].pk).update(archived_at="2026-01-01T00:00:00Z")
    assert not _has_exit(client_for(w["both"]).get(reverse("home")))


def test_a_coordinator_sees_it_on_the_groups_own_pages_only(w, client_for):
    client = client_for(w["cora"])
    assert _has_exit(client.get(reverse("groups:detail", args=[w["survivors"].slug])))
    assert not _has_exit(client.get(reverse("groups:detail", args=[w["carers"].slug])))
    assert not _has_exit(client.get(reverse("groups:list")))


def test_the_group_page_says_what_it_does(w, client_for):
    page = html(client_for(w["sam"]).get(reverse("groups:detail", args=[w["survivors"].slug])))
    assert "It takes you straight to a weather page" in page
    assert "press the Esc key twice" in page
    page = html(client_for(w["pat"]).get(reverse("groups:detail", args=[w["carers"].slug])))
    assert "It takes you straight to a weather page" not in page


def test_survivors_groups_get_it_by_default_on_the_form(w, client_for):
    url = reverse("groups:group_create", args=[w["org"].slug])
    response = client_for(w["cora"]).post(
        url,
        {
            "name": "New circle",
            "format": "online",
            "upheld_by": "facilitators",
            "for_survivors": "on",
        },
    )
    assert response.status_code == 302
    made = Group.objects.get(name="New circle")
    assert (made.for_survivors, made.quick_exit, made.shows_quick_exit) == (True, "auto", True)
    edit = reverse("groups:edit", args=[made.slug])
    form = {"name": "New circle", "format": "online", "upheld_by": "facilitators"}
    client_for(w["cora"]).post(
        edit, {**form, "for_survivors": "on", "quick_exit": "off", "base": stamp_of(made)}
    )
    made.refresh_from_db()
    assert (made.for_survivors, made.shows_quick_exit) == (True, False)
    client_for(w["cora"]).post(edit, {**form, "quick_exit": "bogus", "base": stamp_of(made)})
    made.refresh_from_db()
    assert made.quick_exit == "off"  # refused: a form error, nothing saved


def test_it_costs_no_query(w, client_for):
    """Whether to show it comes with the user's own row: the same queries either way."""
    counts = []
    for person in (w["sam"], w["pat"]):
        client = client_for(person)
        client.get(reverse("account"))
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("account"))
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_each_request_loads_the_person_its_session_names(w):
    """The user's own row is read by a prepared query (one SQL for everyone): each call
    gets the person asked for, with their own answer, in any order; nobody who is gone or
    switched off."""
    from groups.backends import UserBackend

    backend = UserBackend()
    for person, shown in [(w["sam"], True), (w["pat"], False), (w["sam"], True)]:
        loaded = backend.get_user(person.pk)
        assert (loaded, loaded.email, loaded.quick_exit) == (person, person.email, shown)
    w["sam"].is_active = False
    w["sam"].save()
    assert backend.get_user(w["sam"].pk) is None
    assert backend.get_user(w["pat"].pk + 10_000) is None
    assert backend.get_user(2**63) is None  # beyond any id: the ORM says so, no error
