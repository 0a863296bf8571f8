"""The matrix covers every URL pattern, with both methods and a page spec each; the
admin site, left out of the matrix, lets nobody in the cast in.
"""

from urllib.parse import urlsplit

from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.matrix.specs import PAGES
from tests.matrix.table import EXPECTED, URL_NAMES

EXCLUDED_NAMESPACES = {"admin"}  # Django's admin site: see the note above MATRIX.


def _url_patterns(patterns, namespace=None):
    """(qualified name, URLPattern) for every pattern outside the excluded namespaces."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in EXCLUDED_NAMESPACES:
                continue
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _url_patterns(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            assert pattern.name, f"URL pattern {pattern.pattern} has no name"
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern


def _url_names():
    return {name for name, _pattern in _url_patterns(get_resolver().url_patterns)}


def test_matrix_covers_every_url_pattern():
    names = _url_names()
    assert "groups:detail" in names and "password_reset_confirm" in names  # the walk works
    missing = names - set(URL_NAMES)
    assert not missing, f"URL names missing from the permission matrix: {sorted(missing)}"
    stale = set(URL_NAMES) - names
    assert not stale, f"Matrix lines for URL names that no longer exist: {sorted(stale)}"


def test_every_matrix_line_has_both_methods_and_a_page_spec():
    for name in URL_NAMES:
        assert (name, "GET") in EXPECTED and (name, "POST") in EXPECTED, name
        assert name in PAGES, name
    assert set(PAGES) == set(URL_NAMES)
    for (name, _method), by_role in EXPECTED.items():
        if "done" in by_role.values():
            assert PAGES[name].effect is not None, f"{name} needs an effect check"


def test_admin_site_refuses_the_cast(cast, client_for):
    for person in [None, cast.coordinator, cast.facilitator, cast.peer, cast.other_coordinator]:
        response = client_for(person).get(reverse("admin:index"))
        assert response.status_code == 302, person
        assert urlsplit(response["Location"]).path == reverse("admin:login")
