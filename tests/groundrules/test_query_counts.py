"""Ground rules pages do a constant number of SQL queries, whatever the number of rows.

Each page is rendered for a small group (1 rule, 1 version, 1 proposal with 1
comment, 1 breach; its members are the facilitator and one peer, who look at
the pages), then the group grows (20 rules, 15 members who answered plus 3 who
have not, 6 versions, 10 proposals with 3 comments each, 10 breaches naming
several rules) and the page is rendered again: the count must be the same, and
it is pinned in QUERIES so that any change is seen and explained. The content
is checked both times: a page that does few queries because it shows nothing
would be no success.
"""

import re
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from groundrules import services
from groundrules.models import Category
from groups.models import Membership
from tests.builders import add_member, adopt_round, make_group, make_user

# The second-factor gate (safespace/accounts/second_factor/middleware.py) adds one query to
# every request of someone signed in but not verified by a second factor, as here.
SECOND_FACTOR = 1
# Every count starts with 2: the session and the user (the newcomer check that every group
# page does for a signed-in member reads the group the page reads anyway, with one column
# more: groundrules.middleware); then the second-factor gate and the page's own queries:
QUERIES = {
    # the group (with the viewer's role); the current version, open round and draft in one
    # query, and the current rules; the rulebook (which also says who may suggest, for the
    # "Suggest a change" links); the next review's date (its interval, the first adoption
    # and the last review in one query: groundrules.facts.next_reviews); members who have
    # not answered (facilitators only); the number of open suggestions; the suggestions
    # accepted into the current version, with who made and decided them ("who wrote these
    # rules?")
    ("facilitator", "home"): 10 + SECOND_FACTOR,
    ("peer", "home"): 9 + SECOND_FACTOR,
    # the group; versions with their rule counts and who closed them
    ("facilitator", "versions"): 4 + SECOND_FACTOR,
    # the group; the version and its rules (2); members with their answers; the talk
    # requests, with who asked, about which rule and who marked them; the viewer's own answer
    ("facilitator", "tracker"): 8 + SECOND_FACTOR,
    ("peer", "tracker"): 8 + SECOND_FACTOR,
    # no newcomer check (this is where it sends people), so the page reads the group; the
    # version; its rules (offered in the form from the same list); the viewer's answer;
    # their requests to talk;
    # the newest earlier version whose words they agreed to (here none, since this peer
    # always asked to talk)
    ("peer", "answer"): 8 + SECOND_FACTOR,
    # the group; who may suggest; suggestions with their authors, deciders and comment counts
    ("facilitator", "proposals"): 5 + SECOND_FACTOR,
    # the group; the current version and its rules (2); breaches with who recorded them;
    # the rules they name; the rules offered in the form; noting on the audit trail that
    # the log was opened (a savepoint, the insert, its release)
    ("facilitator", "breaches"): 8 + SECOND_FACTOR + 3,
}


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries), [q["sql"] for q in queries.captured_queries], response.content.decode()


@pytest.fixture
def small(cast, gr):
    """A group of one facilitator: one adopted rule, one proposal, one breach, one peer."""
    group = make_group(cast.org_a, "Counting group")
    add_member(group, cast.facilitator, Membership.Role.FACILITATOR)
    add_member(group, cast.peer)
    version = gr.put_to_group(group, cast.facilitator, ["Rule 0."])
    gr.answer(version, cast.facilitator)
    gr.answer(version, cast.peer, "talk", "Shared comment 0.", "group")
    version = adopt_round(version, cast.facilitator, "Talked it through.")
    proposal = services.propose(
        group=group, by=cast.peer, kind="add", fields=gr.fields("Proposal 0."), reason="Because."
    )
    services.add_comment(proposal=proposal, by=cast.facilitator, text="Comment.")
    services.record_breach(
        group=group,
        by=cast.facilitator,
        occurred_on=timezone.localdate(),
        rules=list(version.rules.all()),
        what_happened="Breach 0.",
        response_taken="A reminder.",
        follow_up="",
        not_working=False,
    )
    return SimpleNamespace(group=group, version=version)


def grow(cast, gr, small):
    """From one of everything to many: the pages must not notice in their query count."""
    group = small.group
    members = [make_user(f"Member {n:02d}") for n in range(13)]
    for person in members:
        add_member(group, person)
    answering = [cast.facilitator, cast.peer, *members]  # 15 members who answer
    for number in range(2, 7):  # versions 2..6, the last with 20 rules
        texts = [f"Rule {n}." for n in range(number * 4 - 4 if number < 6 else 20)]
        version = gr.put_to_group(group, cast.facilitator, texts or ["Rule 0."])
        for index, person in enumerate(answering):
            if index % 3 == 1:
                gr.answer(
                    version,
                    person,
                    "talk",
                    f"Shared comment {index}.",
                    "group" if index % 2 else "facilitators",
                )
            else:
                gr.answer(version, person)
        version = adopt_round(version, cast.facilitator, f"Outcome {number}.")
    for person in (make_user(f"Waiting {n}") for n in range(3)):  # joined since: pending
        add_member(group, person)
    rules = list(version.rules.order_by("position"))
    for n in range(1, 10):
        proposal = services.propose(
            group=group,
            by=members[n],
            kind="change" if n % 2 else "add",
            target=rules[n] if n % 2 else None,
            fields=gr.fields(f"Proposal {n}.", Category.RESPECT),
            reason="Because.",
        )
        for author in (cast.facilitator, members[n], cast.peer):
            services.add_comment(proposal=proposal, by=author, text=f"Comment by {author}.")
        if n % 3 == 0:
            services.decline_proposal(
                proposal=proposal, by=cast.facilitator, reason="No.", link=gr.LINK
            )
    for n in range(1, 10):
        services.record_breach(
            group=group,
            by=cast.facilitator,
            occurred_on=timezone.localdate(),
            rules=rules[n : n + 3],
            what_happened=f"Breach {n}.",
            response_taken="A reminder.",
            follow_up="Check in.",
            not_working=bool(n % 2),
        )
    services.record_review(
        group=group,
        by=cast.facilitator,
        held_on=timezone.localdate(),
        participants=8,
        outcome="no_change",
        notes="",
        items={r: ("yes", "") for r in rules},
    )
    return version


def _checks(view, group, version):
    """What each view must show, given the current version (1 or 20 rules)."""
    rule_count = version.rules.count()
    checks = {
        "home": lambda html: (
            len(re.findall(r'<p class="rule-text">Rule \d+\.', html)) == rule_count
        ),
        "versions": lambda html: len(re.findall(r">Version \d+</a>", html)) == version.number,
        "tracker": lambda html: "current members agree" in html,
        "answer": lambda html: (
            len(re.findall(r'<p class="rule-text">Rule \d+\.', html)) == rule_count
            and len(re.findall(r'<option value="\d+">Rule \d+: ', html)) == rule_count
        ),
        "proposals": lambda html: (
            len(re.findall(r"Suggested by", html)) == group.rule_proposals.count()
        ),
        "breaches": lambda html: (
            len(re.findall(r"What happened:", html)) == group.rule_breaches.count()
            and len(re.findall(r'name="rules" value="\d+"', html)) == rule_count
        ),
    }
    return checks[view]


def _url(gr, view, group, version):
    if view in ("tracker", "answer"):
        return gr.url(view, group, version.number)
    return gr.url(view, group)


@pytest.mark.parametrize(("role", "view"), list(QUERIES))
def test_page_queries_do_not_grow(
    cast, client_for, gr, small, role, view, django_assert_num_queries
):
    client = client_for(getattr(cast, role))
    group = small.group
    url = _url(gr, view, group, small.version)
    count, sql, html = _count(client, url)
    assert count == QUERIES[(role, view)], (
        f"{role} {view}: {count} queries with one of each, pinned at {QUERIES[(role, view)]}:\n"
        + "\n".join(sql)
    )
    assert _checks(view, group, small.version)(html), html

    current = grow(cast, gr, small)
    assert current.rules.count() == 20 and current.number == 6
    url = _url(gr, view, group, current)
    with django_assert_num_queries(count):
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert _checks(view, group, current)(html), html
    if view == "tracker" and role == "facilitator":
        assert html.count('<th scope="row">') == 18  # 15 answered, 3 waiting
        assert "10 of 18 current members agree." in html
        assert "5 would like to talk." in html and "3 have not answered yet." in html
    if view == "tracker" and role == "peer":
        assert "<table" not in html and "Shared comment 1." in html
    if view == "home" and role == "facilitator":
        assert "3 members have not answered these rules yet" in html
