"""What the matrix knows about each URL (Page), and helpers shared by the page specs."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import dateformat

from groups.conflicts import stamp_of
from tests.matrix.table import INSIDERS, OUTSIDERS


@dataclass(frozen=True)
class Page:
    kwargs: Callable = lambda w: {}
    post: Callable = lambda w, actor: {}
    effect: Callable | None = None
    # Strings a 200 answer must contain, given (world, role, actor).
    shows: Callable = lambda w, role, actor: []
    # Run before signing in (e.g. archive the group to test restoring it).
    setup: Callable | None = None
    # True when the URL points at a group-A/organisation-A object: outsiders
    # must get the same answer as for an object that does not exist.
    private_object: bool = False


def redirects_to(response, url):
    assert response.status_code == 302, response.status_code
    assert response["Location"] == url


def private_mail_to(w, mail, people, link):
    """One email each to exactly `people`, with the link, naming nothing of group A."""
    assert sorted(m.to for m in mail) == sorted([person.email] for person in people)
    for message in mail:
        assert link in message.body
        for secret in w.secrets:
            assert secret not in message.subject
            assert secret not in message.body


def absolute(url):
    return f"http://testserver{url}"


def group_kwargs(w):
    return {"slug": w.cast.group_a.slug}


def org_kwargs(w):
    return {"slug": w.cast.org_a.slug}


def long_date(day):
    return dateformat.format(day, "j F Y")


def group_names_for(w, role):
    if role in INSIDERS:
        return [w.cast.group_a.name]
    if role in OUTSIDERS:
        return [w.cast.group_b.name]
    return []


def stamp(row):
    """The stamp an edit form carries for `row`, as the row is stored now."""
    return stamp_of(type(row).objects.get(pk=row.pk))
