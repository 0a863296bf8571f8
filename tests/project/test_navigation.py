"""The site navigation marks the page you are on, and only that page.

It is there twice: as the phone's menu (a <details> in the header) and as the wide
screen's bar; CSS shows one of them. Both mark the same page.
"""

import re

import pytest
from django.urls import reverse

CURRENT = re.compile(r'<a class="nav-item-link" href="([^"]+)" aria-current="page">')


@pytest.mark.parametrize(
    ("name", "args", "current"),
    [
        ("home", [], "home"),
        ("groups:list", [], "groups:list"),
        ("account", [], "account"),
        # Pages of other apps that share a URL name with the site's own pages.
        ("groundrules:home", ["group_a"], None),
        ("groups:detail", ["group_a"], None),
    ],
)
def test_main_navigation_marks_only_the_current_page(cast, client_for, name, args, current):
    client = client_for(cast.peer)
    url = reverse(name, args=[getattr(cast, a).slug for a in args])
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    navs = re.findall(r'<nav class="(site-menu-panel|site-nav)".*?</nav>', page, re.S)
    assert navs == ["site-menu-panel", "site-nav"]
    for nav in re.findall(r'<nav class="(?:site-menu-panel|site-nav)".*?</nav>', page, re.S):
        marked = CURRENT.findall(nav)
        assert marked == ([reverse(current)] if current else [])
