"""Two facilitators saving the same rule at the same moment, on a real PostgreSQL server.

Both load the edit page first (the same stamp), then post together from their own
sessions, each thread with its own connection. The first to take the locks checks the
stamp and then lingers before writing, so the other arrives while the check has been
made and the write not yet: a check outside the lock would let both through. Exactly
one save wins; the other gets the conflict page holding every word it typed.
"""

import pytest
from django.test import Client

from groundrules.models import Category, Rule
from groundrules.services import drafting
from groups.conflicts import stamp_of
from groups.models import Membership
from tests.builders import add_member, fields, make_group, make_organisation, make_user, rules_url
from tests.builders import draft as make_draft
from tests.concurrency import linger_after, one_saved_one_refused, opened_by, run_together
from tests.pages import base_of, html

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

TYPED = {
    "fay": {"text": "Phones face down.", "why": "So we listen."},
    "sol": {"text": "Phones off in the room.", "why": "Calls pull us out."},
}


@pytest.mark.parametrize("attempt", range(3))
def test_exactly_one_of_two_racing_saves_wins_and_nothing_typed_is_lost(monkeypatch, attempt):
    org = make_organisation(f"Race {attempt}")
    group = make_group(org, "Racers")
    people = {"fay": make_user("Fay Facilitator"), "sol": make_user("Sol Second")}
    for person in people.values():
        add_member(group, person, Membership.Role.FACILITATOR)
    rule = make_draft(group, people["fay"], ["Phones on silent."]).rules.get()
    url = rules_url("rule_edit", group, rule.uuid)

    clients, bases = opened_by(people, url)
    assert bases["fay"] == bases["sol"] == stamp_of(rule)
    checked = linger_after(monkeypatch, drafting, "refuse_stale")

    def save(name):
        typed = TYPED[name]
        data = {**fields(typed["text"], Category.PHONES, why=typed["why"]), "base": bases[name]}
        return lambda: clients[name].post(url, data)

    results = run_together(fay=save("fay"), sol=save("sol"))

    statuses = one_saved_one_refused(results)
    winner = next(name for name, status in statuses.items() if status == 302)
    loser = "sol" if winner == "fay" else "fay"
    assert checked[0] == winner  # the one that lingered with the lock still won

    rule.refresh_from_db()
    assert (rule.text, rule.why) == (TYPED[winner]["text"], TYPED[winner]["why"])
    assert rule.changed_by == people[winner]
    page = html(results[loser][0])
    assert f"{people[winner].display_name} changed it on" in page
    for value in TYPED[loser].values():
        assert f"{value}</textarea>" in page  # in the form, ready to keep or merge
    for value in TYPED[winner].values():
        assert value in page  # shown as what is there now
    assert base_of(results[loser][0]) == stamp_of(rule)
    assert Rule.objects.filter(version=rule.version).count() == 1


def test_exactly_one_of_two_racing_saves_of_how_often_rules_are_reviewed_wins(monkeypatch):
    from groundrules.models import Rulebook
    from groundrules.services import reviews

    people = {"fay": make_user("Fay Facilitator"), "sol": make_user("Sol Facilitator")}
    group = make_group(make_organisation("Race reviews"), "Reviewers")
    for person in people.values():
        add_member(group, person, Membership.Role.FACILITATOR)
    Rulebook.objects.create(group=group, review_every_months=6)
    url = rules_url("reviews", group)
    clients, bases = opened_by(people, url)
    months = {"fay": "3", "sol": "12"}
    checked = linger_after(monkeypatch, reviews, "refuse_stale")

    def save(name):
        data = {"review_every_months": months[name], "base": bases[name]}
        return lambda: clients[name].post(url, data)

    results = run_together(fay=save("fay"), sol=save("sol"))

    statuses = one_saved_one_refused(results)
    winner = checked[0]
    loser = "sol" if winner == "fay" else "fay"
    assert statuses[winner] == 302
    kept = Rulebook.objects.get(group=group)
    assert str(kept.review_every_months) == months[winner]
    assert kept.changed_by == people[winner]
    assert f"saved by {people[winner].display_name}" in html(results[loser][0])


def test_exactly_one_of_two_racing_saves_of_the_getting_started_answers_wins(monkeypatch):
    from groundrules.models import Rulebook

    people = {"fay": make_user("Fay Facilitator"), "sol": make_user("Sol Facilitator")}
    group = make_group(make_organisation("Race start"), "Starters")
    for person in people.values():
        add_member(group, person, Membership.Role.FACILITATOR)
    Rulebook.objects.create(group=group, want_rules=Rulebook.WantRules.UNSURE)
    url = rules_url("start", group)
    clients, bases = opened_by(people, url)
    typed = {"fay": "So everyone knows what to expect.", "sol": "New members feel safer."}
    checked = linger_after(monkeypatch, drafting, "refuse_stale")

    def save(name):
        data = {
            "want_rules": "yes",
            "advantages": typed[name],
            "upheld_by": "facilitators",
            "suggestions_from": "everyone",
            "review_every_months": "6",
            "base": bases[name],
        }
        return lambda: clients[name].post(url, data)

    results = run_together(fay=save("fay"), sol=save("sol"))

    statuses = one_saved_one_refused(results)
    winner = checked[0]
    loser = "sol" if winner == "fay" else "fay"
    assert statuses[winner] == 302
    assert Rulebook.objects.get(group=group).advantages == typed[winner]
    page = html(results[loser][0])
    assert f"{typed[loser]}</textarea>" in page and typed[winner] in page


def test_adopting_while_a_member_asks_to_talk_never_adopts_over_the_unseen_request(monkeypatch):
    """A facilitator adopts from the tracker while a peer asks to talk, at once: either the
    request lands first and adopting is refused, the outcome written kept in the form; or
    adopting lands first and the request is about the adopted rules. Never an adoption
    decided on a tracker that did not show a request made before it."""
    import re

    from groundrules.models import Agreement, Version
    from groundrules.services import locks
    from tests.builders import put_to_group

    fay, pat = make_user("Fay Facilitator"), make_user("Pat Peer")
    group = make_group(make_organisation("Race adopt"), "Adopters")
    add_member(group, fay, Membership.Role.FACILITATOR)
    add_member(group, pat)
    version = put_to_group(group, fay)
    clients = {"adopt": Client(), "talk": Client()}
    clients["adopt"].force_login(fay)
    clients["talk"].force_login(pat)
    tracker = html(clients["adopt"].get(rules_url("tracker", group, version.number)))
    seen = re.search(r'name="seen" value="([^"]+)"', tracker).group(1)
    outcome = "Agreed at the Tuesday meeting."
    order = linger_after(monkeypatch, locks, "lock_version")

    results = run_together(
        adopt=lambda: clients["adopt"].post(
            rules_url("adopt", group, version.number), {"outcome": outcome, "seen": seen}
        ),
        talk=lambda: clients["talk"].post(
            rules_url("answer", group, version.number),
            {
                "answer": "talk",
                "comment": "Can we talk about phones?",
                "visibility": "facilitators",
                "content_hash": version.content_hash,
            },
        ),
    )

    assert all(error is None for _r, error in results.values()), results
    assert results["talk"][0].status_code == 302
    version.refresh_from_db()
    asked = Agreement.objects.get(version=version, user=pat)
    if order[0] == "talk":
        assert results["adopt"][0].status_code == 409
        assert version.status == Version.Status.IN_ROUND
        assert f"{outcome}</textarea>" in html(results["adopt"][0])
    else:
        assert results["adopt"][0].status_code == 302
        assert version.status == Version.Status.ADOPTED
        assert asked.created >= version.closed_at
