"""Ground rules changed by several people at the same moment, on a real PostgreSQL server.

Each job runs in its own thread with its own database connection (closed at the
end); all start together on a barrier. Where a race needs two transactions to be
inside their critical sections together, the test makes that happen on purpose:
either a second barrier holds each one just after it has taken its first lock,
or one side is slowed down while it holds its lock and the other starts a moment
later. So these tests do not depend on luck.
"""

import threading
import time

import pytest
from django.test import Client

from groundrules import services
from groundrules.models import Agreement, Proposal, Rule, Version, hash_rules
from groups.conflicts import stamp_of
from groups.models import Membership, Organisation
from tests.builders import LINK, add_member, adopt, fields, make_group, make_user
from tests.builders import draft as make_draft
from tests.concurrency import run_together

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


# Where each lock helper lives (the services call it through its module, so patching
# it there reaches every caller).
LOCK_HOMES = {"lock_version": services.locks, "lock_open_proposal": services.proposals}


def hold_after_first_lock(monkeypatch, linger=None, **threads_by_function):
    """The first call of each named services function, in each of its threads, waits
    (its lock held) until all of those threads have got that far; then the threads
    named in `linger` wait that many seconds more before going on."""
    linger = linger or {}
    inside = threading.Barrier(sum(len(threads) for threads in threads_by_function.values()))
    done = set()
    for name, threads in threads_by_function.items():
        home = LOCK_HOMES[name]
        real = getattr(home, name)

        def call_then_wait(*args, real=real, threads=threads, **kwargs):
            value = real(*args, **kwargs)
            me = threading.current_thread().name
            if me in threads and me not in done:
                done.add(me)
                inside.wait(timeout=10)
                time.sleep(linger.get(me, 0))
            return value

        monkeypatch.setattr(home, name, call_then_wait)


def dawdle_with_the_version_locked(monkeypatch, thread, seconds=0.6):
    """In `thread`, every version lock is held `seconds` longer before the work goes on."""
    real = services.locks.lock_version

    def lock_then_dawdle(version, *statuses):
        locked = real(version, *statuses)
        if threading.current_thread().name == thread:
            time.sleep(seconds)
        return locked

    monkeypatch.setattr(services.locks, "lock_version", lock_then_dawdle)


def later(job, seconds=0.2):
    def delayed():
        time.sleep(seconds)
        return job()

    return delayed


def final_rules(version):
    return list(Rule.objects.filter(version=version).order_by("position", "id"))


@pytest.fixture
def world():
    """A group with a facilitator, a second facilitator and two peers (fresh per test)."""
    org = Organisation.objects.create(name="Riverside", slug="riverside")
    group = make_group(org, "Group A")
    people = {
        "fay": make_user("Fay", "fay@a.test"),
        "finn": make_user("Finn", "finn@a.test"),
        "pat": make_user("Pat", "pat@a.test"),
        "sam": make_user("Sam", "sam@a.test"),
    }
    add_member(group, people["fay"], Membership.Role.FACILITATOR)
    add_member(group, people["finn"], Membership.Role.FACILITATOR)
    add_member(group, people["pat"])
    add_member(group, people["sam"])
    return group, people


# Answers ---------------------------------------------------------------------------------


def test_two_members_agreeing_at_the_same_moment_both_count(world):
    group, people = world
    version = services.open_round(
        version=make_draft(group, people["fay"], ["Listen.", "Phones away."]),
        by=people["fay"],
        link=LINK,
    )

    def agree(user):
        def job():
            client = Client()
            client.force_login(user)
            return client.post(
                f"/groups/{group.slug}/rules/versions/{version.number}/answer/",
                {
                    "answer": "agree",
                    "visibility": "facilitators",
                    "content_hash": version.content_hash,
                },
            )

        return job

    results = run_together(pat=agree(people["pat"]), sam=agree(people["sam"]))

    for name, (response, error) in results.items():
        assert error is None, (name, error)
        assert response.status_code == 302, name
        assert response["Location"] == f"/groups/{group.slug}/rules/"
    saved = Agreement.objects.filter(version=version)
    assert sorted(saved.values_list("user__display_name", "answer")) == [
        ("Pat", "agree"),
        ("Sam", "agree"),
    ]
    assert set(saved.values_list("content_hash", flat=True)) == {version.content_hash}


def test_one_member_double_submitting_i_agree_makes_one_agreement(world):
    """Three tabs (or a double click) for each of four members: no error, one row each."""
    group, people = world
    members = [make_user(f"New {n}", f"new{n}@a.test") for n in range(4)]
    for member in members:
        add_member(group, member)
    version = services.open_round(
        version=make_draft(group, people["fay"], ["Listen."]), by=people["fay"], link=LINK
    )
    url = f"/groups/{group.slug}/rules/versions/{version.number}/answer/"

    for member in members:

        def submit(member=member):
            client = Client()
            client.force_login(member)
            return client.post(
                url,
                {"answer": "agree", "visibility": "group", "content_hash": version.content_hash},
            )

        results = run_together(first=submit, second=submit, third=submit)

        for name, (response, error) in results.items():
            assert error is None, (member, name, error)
            assert response.status_code == 302, (member, name, response.status_code)
        assert Agreement.objects.filter(version=version, user=member).count() == 1
    assert Agreement.objects.filter(version=version).count() == 4


# Editing while the round opens -------------------------------------------------------------


def _operations(draft):
    """Changes a facilitator might make to the draft, and the texts if the change lands."""
    listen, phones = final_rules(draft)
    return {
        "edit": (
            lambda: services.update_rule(rule=listen, fields={"text": "Listen well."}),
            ["Listen well.", "Phones away."],
        ),
        "add": (
            lambda: services.add_rule(version=draft, fields=fields("Be kind.")),
            ["Listen.", "Phones away.", "Be kind."],
        ),
        "delete": (lambda: services.delete_rule(rule=phones), ["Listen."]),
        "move": (lambda: services.move_rule(rule=phones, up=True), ["Phones away.", "Listen."]),
    }


def _assert_round_matches_its_text(draft):
    draft.refresh_from_db()
    assert draft.status == Version.Status.IN_ROUND
    assert draft.content_hash == hash_rules(final_rules(draft))


@pytest.mark.parametrize("operation", ["edit", "add", "delete", "move"])
def test_a_change_that_locks_first_lands_before_the_hash(world, monkeypatch, operation):
    """The change holds the version lock (slowly); the round, a moment later, must wait
    for it and hash the changed text."""
    group, people = world
    draft = make_draft(group, people["fay"], ["Listen.", "Phones away."])
    change, texts_if_landed = _operations(draft)[operation]
    dawdle_with_the_version_locked(monkeypatch, thread="change")

    results = run_together(
        change=change,
        round=later(lambda: services.open_round(version=draft, by=people["finn"], link=LINK)),
    )

    assert results["change"][1] is None, results
    assert results["round"][1] is None, results
    assert [r.text for r in final_rules(draft)] == texts_if_landed
    _assert_round_matches_its_text(draft)


@pytest.mark.parametrize("operation", ["edit", "add", "delete", "move"])
def test_a_change_after_the_round_has_locked_is_refused(world, monkeypatch, operation):
    """The round holds the version lock (slowly); the change, a moment later, must wait
    and then be refused: the words members were asked about stay as they were hashed."""
    group, people = world
    draft = make_draft(group, people["fay"], ["Listen.", "Phones away."])
    change, _texts = _operations(draft)[operation]
    dawdle_with_the_version_locked(monkeypatch, thread="round")

    results = run_together(
        round=lambda: services.open_round(version=draft, by=people["finn"], link=LINK),
        change=later(change),
    )

    assert results["round"][1] is None, results
    assert isinstance(results["change"][1], services.RulesError), results
    assert [r.text for r in final_rules(draft)] == ["Listen.", "Phones away."]
    _assert_round_matches_its_text(draft)


def test_edits_racing_the_round_never_leave_a_hash_that_differs_from_the_text(world):
    """No slowing down: ten plain races through the views, each checked the same way."""
    _group, people = world
    org = _group.organisation
    for attempt in range(10):
        group = make_group(org, f"Race {attempt}")
        add_member(group, people["fay"], Membership.Role.FACILITATOR)
        draft = make_draft(group, people["fay"], ["Listen.", "Phones away."])
        rule = final_rules(draft)[0]
        base = f"/groups/{group.slug}/rules/"

        def post(path, data=None):
            def job():
                client = Client()
                client.force_login(people["fay"])
                return client.post(base + path, data or {})

            return job

        results = run_together(
            edit=post(
                f"draft/{rule.uuid}/edit/",
                {"text": f"Edited {attempt}.", "category": "other", "base": stamp_of(rule)},
            ),
            round=post(f"versions/{draft.number}/open/"),
        )

        for name, (response, error) in results.items():
            assert error is None, (attempt, name, error)
            assert response.status_code in (302, 404), (attempt, name, response.status_code)
        _assert_round_matches_its_text(draft)
        rule.refresh_from_db()
        assert rule.text in ("Listen.", f"Edited {attempt}.")


# Adopting --------------------------------------------------------------------------------


def test_two_adoptions_at_once_one_succeeds(world, mailoutbox):
    group, people = world
    first = adopt(group, people["fay"], ["Listen."])
    second = services.open_round(
        version=make_draft(group, people["fay"], ["Listen.", "Phones away."]),
        by=people["fay"],
        link=LINK,
    )
    mailoutbox.clear()

    def adopt_as(user):
        return lambda: services.adopt_version(
            version=second, by=user, outcome=f"Decided by {user.display_name}.", link=LINK
        )

    results = run_together(fay=adopt_as(people["fay"]), finn=adopt_as(people["finn"]))

    errors = [error for _value, error in results.values() if error is not None]
    winners = [name for name, (_value, error) in results.items() if error is None]
    assert len(winners) == 1, results
    assert len(errors) == 1 and isinstance(errors[0], services.RulesError), results
    assert Version.objects.filter(group=group, status=Version.Status.ADOPTED).count() == 1
    second.refresh_from_db()
    first.refresh_from_db()
    assert second.status == Version.Status.ADOPTED
    assert second.outcome == f"Decided by {people[winners[0]].display_name}."
    assert first.status == Version.Status.SUPERSEDED
    assert len(mailoutbox) == 4  # one adoption's emails, one per member


def test_adopting_and_withdrawing_at_once_one_wins(world):
    group, people = world
    adopt(group, people["fay"], ["Listen."])
    in_round = services.open_round(
        version=make_draft(group, people["fay"], ["Listen.", "Phones away."]),
        by=people["fay"],
        link=LINK,
    )

    results = run_together(
        adopt=lambda: services.adopt_version(
            version=in_round, by=people["fay"], outcome="Go.", link=LINK
        ),
        withdraw=lambda: services.withdraw_round(
            version=in_round, by=people["finn"], outcome="Stop."
        ),
    )

    errors = [error for _value, error in results.values() if error is not None]
    assert len(errors) == 1 and isinstance(errors[0], services.RulesError), results
    in_round.refresh_from_db()
    statuses = sorted(Version.objects.filter(group=group).values_list("status", flat=True))
    if results["adopt"][1] is None:
        assert in_round.status == Version.Status.ADOPTED
        assert statuses == ["adopted", "superseded"]
    else:
        assert in_round.status == Version.Status.WITHDRAWN
        assert statuses == ["adopted", "draft", "withdrawn"]


# Accepting proposals ---------------------------------------------------------------------


def _accept_two_at_once(group, people, monkeypatch):
    """Two facilitators accept two different suggestions, both inside their transactions."""
    proposals = {
        name: services.propose(
            group=group, by=people["pat"], kind="add", fields=fields(text), reason="Please."
        )
        for name, text in (("fay", "Be kind."), ("finn", "Take breaks."))
    }
    hold_after_first_lock(monkeypatch, lock_open_proposal={"fay", "finn"})
    results = run_together(
        **{
            name: (
                lambda name=name: services.accept_proposal(
                    proposal=proposals[name], by=people[name], link=LINK
                )
            )
            for name in proposals
        }
    )
    for name, (_value, error) in results.items():
        assert error is None, (name, error)
    assert set(Proposal.objects.values_list("status", flat=True)) == {"accepted"}
    drafts = Version.objects.filter(group=group, status=Version.Status.DRAFT)
    assert drafts.count() == 1
    draft = drafts.get()
    assert {value.pk for value, _error in results.values()} == {draft.pk}
    return draft


def test_two_proposals_accepted_at_once_both_land_in_one_draft(world, monkeypatch):
    group, people = world
    current = adopt(group, people["fay"], ["Listen."])
    draft = _accept_two_at_once(group, people, monkeypatch)
    assert draft.based_on == current
    texts = [r.text for r in final_rules(draft)]
    assert texts[0] == "Listen." and sorted(texts[1:]) == ["Be kind.", "Take breaks."]
    positions = [r.position for r in final_rules(draft)]
    assert len(set(positions)) == 3


def test_two_first_proposals_accepted_at_once_in_a_group_with_no_rules_yet(world, monkeypatch):
    """No version at all yet: nothing to lock but the group itself."""
    group, people = world
    draft = _accept_two_at_once(group, people, monkeypatch)
    assert draft.number == 1 and draft.based_on is None
    assert sorted(r.text for r in final_rules(draft)) == ["Be kind.", "Take breaks."]
    assert Version.objects.filter(group=group).count() == 1


def test_withdrawing_while_a_proposal_is_accepted_makes_one_draft_with_it(world, monkeypatch):
    """Both start the group's next draft at once: one draft, the proposal in it, no deadlock."""
    group, people = world
    adopt(group, people["fay"], ["Listen."])
    in_round = services.open_round(
        version=make_draft(group, people["fay"], ["Listen.", "Phones away."]),
        by=people["fay"],
        link=LINK,
    )
    proposal = services.propose(
        group=group, by=people["pat"], kind="add", fields=fields("Be kind."), reason="Please."
    )
    hold_after_first_lock(monkeypatch, lock_version={"withdraw"}, lock_open_proposal={"accept"})

    results = run_together(
        withdraw=lambda: services.withdraw_round(
            version=in_round, by=people["fay"], outcome="More talk."
        ),
        accept=lambda: services.accept_proposal(proposal=proposal, by=people["finn"], link=LINK),
    )

    for name, (_value, error) in results.items():
        assert error is None, (name, error)
    in_round.refresh_from_db()
    assert in_round.status == Version.Status.WITHDRAWN
    draft = Version.objects.get(group=group, status=Version.Status.DRAFT)
    assert "Be kind." in [r.text for r in final_rules(draft)]


def test_withdrawing_while_a_proposal_goes_into_an_existing_draft(world, monkeypatch):
    """A draft already exists beside the round. Both withdrawing and accepting go on to
    lock the group's versions; the withdrawal, once it has its first lock, lets the
    acceptance go first. Both must finish (no deadlock) with the proposal in the one
    draft. (When withdrawing locked its own version before the group's, the acceptance
    locked the draft, then waited for that version, which waited for the draft.)"""
    group, people = world
    adopt(group, people["fay"], ["Listen."])
    in_round = services.open_round(
        version=make_draft(group, people["fay"], ["Listen.", "Phones away."]),
        by=people["fay"],
        link=LINK,
    )
    draft = services.start_draft(group=group, by=people["fay"])
    proposal = services.propose(
        group=group, by=people["pat"], kind="add", fields=fields("Be kind."), reason="Please."
    )
    hold_after_first_lock(
        monkeypatch,
        lock_version={"withdraw"},
        lock_open_proposal={"accept"},
        linger={"withdraw": 0.3},
    )

    results = run_together(
        withdraw=lambda: services.withdraw_round(
            version=in_round, by=people["fay"], outcome="More talk."
        ),
        accept=lambda: services.accept_proposal(proposal=proposal, by=people["finn"], link=LINK),
    )

    for name, (_value, error) in results.items():
        assert error is None, (name, error)
    in_round.refresh_from_db()
    assert in_round.status == Version.Status.WITHDRAWN
    assert list(Version.objects.filter(group=group, status=Version.Status.DRAFT)) == [draft]
    assert [r.text for r in final_rules(draft)] == ["Listen.", "Phones away.", "Be kind."]
