"""Venue checks and peers' answers sent at the same moment, on a real PostgreSQL server.

Each job runs in its own thread with its own database connection (closed at the
end); all start together on a barrier. Where a race needs both transactions
past a check before either writes, the test makes that happen on purpose: a
second barrier holds each thread just after its check (or one side is slowed
down while it holds its lock and the other starts a moment later). So these
tests do not depend on luck.
"""

import threading
import time

import pytest
from django.contrib.messages import get_messages
from django.db.models.signals import post_save
from django.test import Client

from groups.models import Coordinator, Membership, Organisation
from tests.builders import add_member, long_ago, make_group, make_user, submit_data
from tests.builders import answer_questions as answer
from tests.builders import venues_url as url
from tests.concurrency import run_together
from venues import scoring, selectors, services
from venues.models import (
    Assessment,
    FeedbackReceipt,
    FeedbackRelease,
    PoolCount,
    PooledAnswer,
    Question,
    Template,
    Venue,
    VenueUse,
)

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def hold_after(monkeypatch, module, name, threads):
    """Each named thread's first call of `module.name` returns only once all have made it."""
    inside = threading.Barrier(len(threads))
    real = getattr(module, name)
    done = set()

    def call_then_wait(*args, **kwargs):
        value = real(*args, **kwargs)
        me = threading.current_thread().name
        if me in threads and me not in done:
            done.add(me)
            inside.wait(timeout=10)
        return value

    monkeypatch.setattr(module, name, call_then_wait)


def wait_before(monkeypatch, module, name, threads):
    """Each named thread's first call of `module.name` starts only once all have got there."""
    inside = threading.Barrier(len(threads))
    real = getattr(module, name)
    done = set()

    def wait_then_call(*args, **kwargs):
        me = threading.current_thread().name
        if me in threads and me not in done:
            done.add(me)
            inside.wait(timeout=10)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, wait_then_call)


def later(job, seconds=0.2):
    def delayed():
        time.sleep(seconds)
        return job()

    return delayed


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def post_as(user, path, data=None):
    def job():
        response = signed_in(user).post(path, data or {})
        return response, [str(m) for m in get_messages(response.wsgi_request)]

    return job


@pytest.fixture
def world():
    """Organisation A with group A (two facilitators, a peer) meeting at a room."""
    org = Organisation.objects.create(name="Riverside", slug="riverside")
    group = make_group(org, "Group A")
    people = {
        "fay": make_user("Fay", "fay@a.test"),
        "finn": make_user("Finn", "finn@a.test"),
        "pat": make_user("Pat", "pat@a.test"),
    }
    add_member(group, people["fay"], Membership.Role.FACILITATOR)
    add_member(group, people["finn"], Membership.Role.FACILITATOR)
    add_member(group, people["pat"])
    room = Venue.objects.create(organisation=org, kind="physical", name="The room")
    VenueUse.objects.create(venue=room, group=group)
    return org, group, room, people


@pytest.fixture
def saves_of_assessments():
    """Every save of an Assessment row, from any thread: (pk, submitted_at)."""
    seen = []

    def record(sender, instance, **kwargs):
        seen.append((instance.pk, instance.submitted_at))

    post_save.connect(record, sender=Assessment, weak=False)
    yield seen
    post_save.disconnect(record, sender=Assessment)


@pytest.fixture
def scorings(monkeypatch):
    """Every call of venues.scoring.score, from any thread."""
    calls = []
    real = scoring.score

    def counted(questions, answers):
        calls.append(threading.current_thread().name)
        return real(questions, answers)

    monkeypatch.setattr(scoring, "score", counted)
    return calls


# Double submit --------------------------------------------------------------------------------


def test_a_double_submit_submits_once_and_writes_the_scores_once(
    world, monkeypatch, saves_of_assessments, scorings
):
    """The first submit holds the assessment's lock (slowly); the second, a moment later,
    must wait for it and then be refused: scores are computed and written once."""
    _org, group, room, people = world
    assessment = services.start_assessment(group=group, venue=room, by=people["fay"])
    answer(assessment, "yes", values={"private": "no", "staffed": "partly"})
    saves_of_assessments.clear()
    real_lock = services.assessments._lock_open

    def lock_then_dawdle(found):
        locked = real_lock(found)
        if threading.current_thread().name == "first":
            time.sleep(0.6)
        return locked

    monkeypatch.setattr(services.assessments, "_lock_open", lock_then_dawdle)
    path = url("submit", group.slug, assessment.uuid)

    results = run_together(
        first=post_as(people["fay"], path, submit_data(assessment)),
        second=later(post_as(people["finn"], path, submit_data(assessment))),
    )

    for name, (value, error) in results.items():
        assert error is None, (name, error)
        assert value[0].status_code == 302, name
    assert results["first"][0][1] == ["The assessment has been submitted."]
    assert results["second"][0][1] == [
        "This assessment has already been submitted, so it can't change."
    ]
    assessment.refresh_from_db()
    assert assessment.submitted_by == people["fay"]
    assert assessment.critical_flag is True
    assert str(assessment.being_safe_score) == "85.0"  # (8 + .5) / 10
    assert scorings == ["first"]
    assert saves_of_assessments == [(assessment.pk, assessment.submitted_at)]


def test_plain_double_submits_never_submit_twice(world, saves_of_assessments, scorings):
    """No slowing down: ten plain races through the submit page, each checked the same way."""
    org, _group, _room, people = world
    for attempt in range(10):
        group = make_group(org, f"Race {attempt}")
        add_member(group, people["fay"], Membership.Role.FACILITATOR)
        room = Venue.objects.create(organisation=org, kind="online", name=f"Room {attempt}")
        VenueUse.objects.create(venue=room, group=group)
        assessment = services.start_assessment(group=group, venue=room, by=people["fay"])
        answer(assessment, "partly")
        saves_of_assessments.clear()
        scorings.clear()
        path = url("submit", group.slug, assessment.uuid)

        seen = submit_data(assessment)
        results = run_together(
            one=post_as(people["fay"], path, seen), two=post_as(people["fay"], path, seen)
        )

        messages = sorted(value[1][0] for value, _error in results.values())
        assert all(error is None for _value, error in results.values()), results
        assert messages == [
            "The assessment has been submitted.",
            "This assessment has already been submitted, so it can't change.",
        ], attempt
        assessment.refresh_from_db()
        assert len(scorings) == 1, attempt
        assert saves_of_assessments == [(assessment.pk, assessment.submitted_at)], attempt
        assert str(assessment.being_safe_score) == "50.0"


# Starting a check -----------------------------------------------------------------------------


@pytest.mark.parametrize("first_check_in_the_organisation", [False, True])
def test_two_facilitators_starting_a_check_at_once_make_one(
    world, monkeypatch, first_check_in_the_organisation
):
    """Both look for a check in progress, find none, and only then go on to create one.
    When it is the organisation's first check ever, both also set up its questions."""
    org, group, room, people = world
    if first_check_in_the_organisation:
        # both enter ensure_template together: neither finds a template yet
        wait_before(monkeypatch, services.assessments, "ensure_template", {"fay", "finn"})
    else:
        services.ensure_template(org)
        # both have looked for a check in progress before either creates one
        hold_after(monkeypatch, services.assessments, "ensure_template", {"fay", "finn"})
    path = url("start", group.slug, room.uuid)

    results = run_together(fay=post_as(people["fay"], path), finn=post_as(people["finn"], path))

    for name, (_value, error) in results.items():
        assert error is None, (name, error)
    assessment = Assessment.objects.get()
    target = url("assessment", group.slug, assessment.uuid)
    assert [value[0]["Location"] for value, _error in results.values()] == [target, target]
    assert assessment.submitted_at is None
    assert list(Template.objects.values_list("organisation", "version")) == [(org.pk, 1)]
    assert Question.objects.count() == 27


def test_two_coordinators_changing_questions_at_once_both_changes_land(world, monkeypatch):
    """Each change copies the current version into a new one. Two at once must not copy
    the same version: the second has to build on the first, or one change is lost."""
    org, _group, _room, _people = world
    services.ensure_template(org)
    cora, carl = make_user("Cora", "cora@a.test"), make_user("Carl", "carl@a.test")
    real_create = Template.objects.create

    def retire(key, by):
        return lambda: services.new_template_version(
            organisation=org, by=by, change=lambda qs: [q for q in qs if q.key != key]
        )

    # the first holds its lock a while before writing; the second starts a moment later
    def slow_create(**kwargs):
        if threading.current_thread().name == "first":
            time.sleep(0.6)
        return real_create(**kwargs)

    monkeypatch.setattr(Template.objects, "create", slow_create)
    results = run_together(
        first=retire("staffed", cora), second=later(retire("refreshments", carl))
    )

    for name, (_value, error) in results.items():
        assert error is None, (name, error)
    assert list(Template.objects.values_list("version", flat=True)) == [3, 2, 1]
    newest = Template.objects.first()
    keys = set(newest.questions.values_list("key", flat=True))
    assert "staffed" not in keys and "refreshments" not in keys
    assert newest.questions.count() == 25  # 27 questions, two retired
    assert (newest.created_by, Template.objects.get(version=2).created_by) == (carl, cora)


def test_two_coordinators_adding_questions_at_once_get_different_keys(world, monkeypatch):
    org, _group, _room, _people = world
    services.ensure_template(org)
    cora, carl = make_user("Cora", "cora@a.test"), make_user("Carl", "carl@a.test")
    for person in (cora, carl):
        Coordinator.objects.create(organisation=org, user=person)
    real_create = Template.objects.create

    def slow_create(**kwargs):
        if threading.current_thread().name == "cora":
            time.sleep(0.6)
        return real_create(**kwargs)

    monkeypatch.setattr(Template.objects, "create", slow_create)
    path = url("question_add", org.slug)

    def add(text):
        return {
            "section": "feeling_safe",
            "applies_to": "both",
            "need": "",
            "text": text,
            "help_text": "",
            "safe_answer": "yes",
        }

    results = run_together(
        cora=post_as(cora, path, add("Is it warm enough?")),
        carl=later(post_as(carl, path, add("Is it quiet enough?"))),
    )

    for name, (value, error) in results.items():
        assert error is None, (name, error)
        assert value[0].status_code == 302, name
    newest = Template.objects.first()
    assert newest.version == 3
    added = dict(newest.questions.filter(key__startswith="custom-").values_list("text", "key"))
    assert added == {"Is it warm enough?": "custom-28", "Is it quiet enough?": "custom-29"}


# Peers' answers -------------------------------------------------------------------------------


def test_the_same_peer_answering_twice_at_once_counts_once(world, monkeypatch):
    """Two tabs: both have checked that the peer has not answered yet before either saves."""
    _org, group, room, people = world
    hold_after(monkeypatch, selectors, "has_answered", {"one", "two"})
    path = url("feedback", group.slug, room.uuid)
    data = {
        "welcome": "4",
        "physically_safe": "3",
        "safe_to_talk": "5",
        "time_out": "2",
        "comfortable_with_others": "4",
        "comment": "Fine.",
    }

    results = run_together(
        one=post_as(people["pat"], path, data), two=post_as(people["pat"], path, data)
    )

    for name, (value, error) in results.items():
        assert error is None, (name, error)
        assert value[0].status_code == 200, name
    # One is thanked (straight from the POST); the other is told, kindly, it has answered.
    headings = sorted(
        next(
            h
            for h in ("Thank you for telling us how you feel", "You have already answered")
            if h in value[0].content.decode()
        )
        for value, _error in results.values()
    )
    assert headings == ["Thank you for telling us how you feel", "You have already answered"]
    assert FeedbackReceipt.objects.filter(user=people["pat"]).count() == 1
    assert PooledAnswer.objects.count() == 1
    saved = PooledAnswer.objects.get()
    assert (saved.welcome, saved.safe_to_talk, saved.comment) == (4, 5, "Fine.")


def test_two_answers_at_once_cannot_both_miss_the_release(world, monkeypatch):
    """One answer that counts waits; two more arrive together. Whichever is second must
    see the first's answer in the pool and count, so the third that counts releases the
    batch: the first is slowed down after reading the pool while it holds the lock, the
    second starts a moment later (without the lock it would read a stale count)."""
    _org, group, room, _people = world
    peers = [make_user(f"Counting {n}", f"counting{n}@a.test") for n in range(3)]
    for peer in peers:
        add_member(group, peer, joined_at=long_ago())

    def answer_as(peer, score):
        def job():
            services.give_feedback(
                user=peer,
                group=group,
                venue=room,
                scores=dict.fromkeys(PooledAnswer.SCORE_FIELDS, score),
                comment="",
            )

        return job

    answer_as(peers[0], 1)()
    real = services.feedback._waiting

    def slow_for_one(*args):
        value = real(*args)
        if threading.current_thread().name == "one":
            time.sleep(0.5)
        return value

    monkeypatch.setattr(services.feedback, "_waiting", slow_for_one)

    results = run_together(one=answer_as(peers[1], 2), two=later(answer_as(peers[2], 3)))

    for name, (_value, error) in results.items():
        assert error is None, (name, error)
    release = FeedbackRelease.objects.get()
    assert release.answers == 3
    assert sorted(a.welcome for a in release.released_answers.all()) == [1, 2, 3]
    assert not PooledAnswer.objects.exists() and not PoolCount.objects.exists()
    assert FeedbackReceipt.objects.count() == 3


def test_reopening_as_a_new_check_starts_is_refused_never_an_error(world, monkeypatch):
    """Reopening reads the venue's checks (none in progress) and, before it writes, a new
    check is started and committed: the venue may have one check open, so the reopening
    is refused with a message, and the new check stands."""
    _org, group, room, people = world
    check = services.start_assessment(group=group, venue=room, by=people["fay"])
    answer(check, "yes")
    services.submit_assessment(assessment=check, by=people["fay"])
    started = threading.Event()
    real_now = services.assessments.timezone.now

    class Clock:  # reopening asks the time just after reading the checks
        @staticmethod
        def now():
            if threading.current_thread().name == "reopen":
                assert started.wait(timeout=10)
            return real_now()

    monkeypatch.setattr(services.assessments, "timezone", Clock)

    def start():
        new = services.start_assessment(group=group, venue=room, by=people["finn"])
        started.set()
        return new

    results = run_together(
        reopen=lambda: services.reopen_assessment(assessment=check, by=people["fay"]),
        start=start,
    )

    new, error = results["start"]
    assert error is None
    _value, refused = results["reopen"]
    assert isinstance(refused, services.VenueError), refused
    assert "A newer check of this venue is in progress" in refused.message
    check.refresh_from_db()
    assert check.submitted_at is not None and check.reopened_at is None
    assert list(Assessment.objects.in_progress()) == [new]
