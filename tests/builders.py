"""Builders for test data, one of each, shared by every test folder. Plain functions.

People and groups, ground rules, venue checks and dates build rows through the
service layer; a builder that writes a row past it (or back-dates one) refreshes the
group's summary row as the service would (groups.summaries). Emails that the services
send on commit never fire in set-up (a test's transaction never commits), so set-up
never fills the outbox.

`database_state()` is a snapshot of every row, to check that a request changed
nothing; `built_once()` holds the transaction around a world built once per
module or class (the `setUpTestData` idea: each test then runs in a savepoint).
"""

import copy
import itertools
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from types import SimpleNamespace

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.urls import reverse
from django.utils import dateformat, timezone

from groundrules import selectors as rule_selectors
from groundrules import services as rule_services
from groundrules.models import Agreement, Category, Review, Rulebook, TalkRequest, Version
from groups import summaries
from groups.conflicts import stamp_of
from groups.dates import add_months, quarter, quarter_start
from groups.models import (
    Coordinator,
    Group,
    GroupNeed,
    GroupSummary,
    Membership,
    Organisation,
)
from groups.services import new_group_slug
from venues import selectors as venue_selectors
from venues import services as venue_services
from venues.models import (
    THRESHOLD,
    Action,
    Answer,
    Assessment,
    FeedbackRelease,
    PoolCount,
    PooledAnswer,
    ReleasedAnswer,
    Venue,
    VenueUse,
)

LINK = "https://safespace.test/link/"
PASSWORD = "correct-horse-battery"  # make_user's default

_seq = itertools.count(1)


# People and groups ---------------------------------------------------------------------


def make_user(display_name=None, email=None, password=PASSWORD):
    n = next(_seq)
    return get_user_model().objects.create_user(
        email or f"person{n}@example.test", password, display_name=display_name or f"Person {n}"
    )


def make_organisation(name=None, coordinators=()):
    n = next(_seq)
    org = Organisation.objects.create(name=name or f"Organisation {n}", slug=f"org-{n}")
    for user in coordinators:
        Coordinator.objects.create(organisation=org, user=user)
    return org


def make_group(organisation, name=None, **fields):
    n = next(_seq)
    fields.setdefault("format", Group.Format.IN_PERSON)
    made = Group.objects.create(
        organisation=organisation, name=name or f"Group {n}", slug=new_group_slug(), **fields
    )
    summaries.refresh([made.pk])
    return made


def add_member(group, user, role=Membership.Role.PEER, joined_at=None):
    made = Membership.objects.create(
        group=group, user=user, role=role, joined_at=joined_at or timezone.now()
    )
    summaries.refresh([group.pk])
    return made


def long_ago():
    """A moment well before the current quarter began: members who joined then count
    towards the release of peers' anonymous answers this quarter."""
    return at(add_months(quarter_start(today()), -6))


def group(organisation, name, *, facilitators=(), peers=(), **fields):
    made = make_group(organisation, name, **fields)
    for user in facilitators:
        add_member(made, user, Membership.Role.FACILITATOR)
    for user in peers:
        add_member(made, user)
    return made


def people(*names):
    return [make_user(name) for name in names]


def leave(group, user, when=None):
    Membership.objects.filter(group=group, user=user, left_at__isnull=True).update(
        left_at=when or timezone.now(), ending=Membership.Ending.LEFT
    )
    summaries.refresh([group.pk])


def archive(group, when=None):
    """The group archived at `when` (now unless given), its summary row saying so."""
    Group.objects.filter(pk=group.pk).update(archived_at=when or timezone.now())
    summaries.refresh([group.pk])


def joined(group, user, when):
    Membership.objects.filter(group=group, user=user).update(joined_at=when)


def needs(group, *wanted):
    for need in wanted:
        GroupNeed.objects.create(group=group, need=need)


def build_cast():
    """The fixed cast (see tests/conftest.py): organisations A and B, their groups and people."""
    coordinator = make_user("Cora Coordinator", "coordinator@a.test")
    facilitator = make_user("Fay Facilitator", "facilitator@a.test")
    peer = make_user("Pat Peer", "peer@a.test")
    other_coordinator = make_user("Otto Coordinator", "coordinator@b.test")
    other_peer = make_user("Olive Peer", "peer@b.test")
    org_a = make_organisation("Riverside", coordinators=[coordinator])
    org_b = make_organisation("Elsewhere", coordinators=[other_coordinator])
    group_a = make_group(org_a, "Group A")
    group_b = make_group(org_b, "Group B")
    add_member(group_a, facilitator, Membership.Role.FACILITATOR)
    add_member(group_a, peer)
    add_member(group_b, other_peer)
    return SimpleNamespace(
        coordinator=coordinator,
        facilitator=facilitator,
        peer=peer,
        other_coordinator=other_coordinator,
        other_peer=other_peer,
        org_a=org_a,
        org_b=org_b,
        group_a=group_a,
        group_b=group_b,
    )


# Ground rules --------------------------------------------------------------------------

FIRST_RULE = "Keep what is said here in the room."


def fields(text, category=Category.OTHER, why="", if_broken=""):
    return {"text": text, "why": why, "category": category, "if_broken": if_broken}


def draft(group, by, texts=None):
    """The group's draft. With `texts`, its rules are replaced by exactly those (each a
    text, or a tuple of `fields` arguments); without, it keeps the rules it was started
    with, and a group's very first draft gets one rule, FIRST_RULE."""
    version = rule_services.start_draft(group=group, by=by)
    if texts is None and not version.rules.exists():
        texts = [FIRST_RULE]
    if texts is not None:
        version.rules.all().delete()
        for text in texts:
            args = text if isinstance(text, tuple) else (text,)
            rule_services.add_rule(version=version, fields=fields(*args))
    return version


def round_seen(version):
    """The stamp the tracker's adopt and withdraw form carries for `version`, as it is now."""
    members = list(rule_selectors.members_with_answers(version))
    talks = list(rule_selectors.talk_requests(version))
    return rule_selectors.round_seen(version, members, talks)


def put_to_group(group, by, texts=None):
    return rule_services.open_round(version=draft(group, by, texts), by=by, link=LINK)


def answer(version, user, answer="agree", comment="", visibility="facilitators"):
    if answer == "talk" and not comment:
        comment = "Can we talk about the first rule?"
    return rule_services.record_agreement(
        version=version,
        user=user,
        answer=answer,
        comment=comment,
        visibility=visibility,
        seen_hash=version.content_hash,
    )


def adopt(group, by, texts=None, agreeing=(), outcome="Agreed at the meeting.", when=None):
    """Put a version to the group, record `agreeing`'s answers and adopt it (at `when`).
    Any talk request still open is noted as talked about at the meeting."""
    version = put_to_group(group, by, texts)
    for user in agreeing:
        answer(version, user)
    version = adopt_round(version, by, outcome)
    if when is not None:
        Version.objects.filter(pk=version.pk).update(closed_at=when)
        version.refresh_from_db()
        summaries.refresh([group.pk])
    return version


def adopt_round(version, by, outcome="Agreed at the meeting."):
    """Adopt the version that is with the group, noting each open talk request."""
    notes = {
        str(key): "Talked about at the meeting."
        for key in TalkRequest.objects.open().filter(version=version).values_list("uuid", flat=True)
    }
    return rule_services.adopt_version(
        version=version, by=by, outcome=outcome, link=LINK, notes=notes
    )


def agreed_at(version, user, when):
    Agreement.objects.filter(version=version, user=user).update(updated=when)


def review(group, version, held_on):
    made = Review.objects.create(
        group=group,
        version=version,
        held_on=held_on,
        participants=3,
        outcome=Review.Outcome.NO_CHANGE,
    )
    summaries.refresh([group.pk])
    return made


def review_every(group, months):
    Rulebook.objects.update_or_create(group=group, defaults={"review_every_months": months})
    summaries.refresh([group.pk])


def breach(group, by, occurred_on):
    return rule_services.record_breach(
        group=group,
        by=by,
        occurred_on=occurred_on,
        rules=[],
        what_happened="Someone shared another member's story outside the group.",
        response_taken="A quiet word after the meeting.",
        follow_up="",
        not_working=False,
    )


def propose(group, by, text="Phones on silent."):
    return rule_services.propose(
        group=group,
        by=by,
        kind="add",
        fields=fields(text, Category.PHONES),
        reason="It keeps us focused.",
    )


def rules_url(name, group, *args):
    return reverse(f"groundrules:{name}", args=[group.slug, *args])


# Venues --------------------------------------------------------------------------------

# A physical venue, for a group with no specific needs, gets 10 default questions about
# being safe (one of them, "private", critical) and 6 about feeling safe: so No to
# "private", Partly to "staffed" and Yes to the rest is 85% being safe; No to "welcoming",
# N/A to "refreshments" and Yes to the rest is 80% feeling safe.


def venue(organisation, name, kind=Venue.Kind.PHYSICAL, used_by=(), **fields):
    """A venue in the organisation's library; with `used_by`, groups meet there."""
    if kind == Venue.Kind.PHYSICAL:
        fields.setdefault("address", f"{name}, 1 High Street")
        fields.setdefault("postcode", "AB1 2CD")
    made = Venue.objects.create(organisation=organisation, kind=kind, name=name, **fields)
    for user_group in used_by:
        VenueUse.objects.create(venue=made, group=user_group)
    summaries.refresh([g.pk for g in used_by])
    return made


def questions(assessment):
    """The questions that apply to the assessment, fresh from the database."""
    return venue_selectors.questions_for(Assessment.objects.get(pk=assessment.pk))


def keys(assessment):
    return [q.key for q in questions(assessment)]


def question(assessment, key):
    return next(q for q in questions(assessment) if q.key == key)


def answer_value(question, value):
    """ "safe" and "unsafe" stand for the question's safe or unsafe answer (Yes or No, as the
    question is worded); any other value is itself."""
    if value == "safe":
        return question.safe_answer
    if value == "unsafe":
        return question.unsafe_answer
    return value


def answer_questions(assessment, default="safe", values=None, notes=None, only=None):
    """Answer the assessment's questions: `default` for each, unless `values` names the key.

    `only` limits it to those keys; a value of None leaves that question unanswered.
    """
    values, notes = values or {}, notes or {}
    given = {}
    for q in questions(assessment):
        if only is not None and q.key not in only:
            continue
        value = answer_value(q, values.get(q.key, default))
        if value is not None:
            given[q.pk] = (value, notes.get(q.key, ""))
    venue_services.save_answers(assessment=assessment, answers=given)
    return assessment


def assess(group, venue, by, values=None, notes=None, default="safe", when=None, submit=True):
    """A check of `venue` by `group`, every question answered (`default` unless `values`
    says otherwise) and submitted, unless `submit` is false; `when` back-dates it."""
    assessment = venue_services.start_assessment(group=group, venue=venue, by=by)
    answer_questions(assessment, default, values, notes)
    if submit:
        venue_services.submit_assessment(assessment=assessment, by=by)
    if when is not None:
        Assessment.objects.filter(pk=assessment.pk).update(submitted_at=when)
        summaries.refresh([group.pk])
    assessment.refresh_from_db()
    return assessment


def answer_to(assessment, key):
    return Answer.objects.select_related("question").get(assessment=assessment, question__key=key)


def action(assessment, key, by, owner=None, what=None, due_on=None, created=None):
    """An open action on the assessment's answer to `key` (which must be No or Partly)."""
    made = venue_services.create_action(
        answer=answer_to(assessment, key),
        by=by,
        what=what or f"Follow up {key}",
        owner=owner or by,
        due_on=due_on or today() + timedelta(days=30),
        link=LINK,
    )
    if created is not None:
        Action.objects.filter(pk=made.pk).update(created=created)
    return made


def close(action_, when=None):
    closed = venue_services.close_action(action=action_, status=Action.Status.DONE, note="Done.")
    if when is not None:
        Action.objects.filter(pk=closed.pk).update(closed_at=when)
    return closed


def feedback(group, venue_, count, score=4, period=None, released_on=None):
    """`count` peers' answers, every statement scored `score`. At least 3 are released
    together in `period` (this quarter by default); fewer wait in the pool, counting
    towards a release this quarter."""
    values = dict.fromkeys(ReleasedAnswer.SCORE_FIELDS, score)
    if count < THRESHOLD:
        for _ in range(count):
            PooledAnswer.objects.create(group=group, venue=venue_, **values)
        tally, _ = PoolCount.objects.get_or_create(
            group=group, venue=venue_, counts_from=quarter(today())
        )
        PoolCount.objects.filter(pk=tally.pk).update(waiting=tally.waiting + count)
        return None
    release = FeedbackRelease.objects.create(
        group=group,
        venue=venue_,
        period=period or quarter(today()),
        released_on=released_on or today(),
        answers=count,
    )
    ReleasedAnswer.objects.bulk_create(
        ReleasedAnswer(release=release, **values) for _ in range(count)
    )
    summaries.refresh([group.pk])
    return release


def section_data(assessment, section, values=None, default="safe", notes=None, only=None):
    """POST data for a section page: a value (and note) per applicable question in it, and
    the stamp of its stored answer (what the page showed)."""
    values, notes = values or {}, notes or {}
    stored = {a.question_id: a for a in assessment.answers.all()}
    data = {}
    for q in questions(assessment):
        if q.section != section or (only is not None and q.key not in only):
            continue
        value = answer_value(q, values.get(q.key, default))
        if value is not None:
            data[f"q{q.pk}"] = value
        data[f"q{q.pk}_note"] = notes.get(q.key, "")
        data[f"q{q.pk}_base"] = stamp_of(stored[q.pk]) if q.pk in stored else ""
    return data


def submit_data(assessment) -> dict:
    """What the submit page's form sends: the answers' stamp as they are now."""
    return {"seen": venue_selectors.answers_seen(assessment.answers.all())}


def venues_url(name, *args):
    return reverse(f"venues:{name}", args=[str(a) for a in args])


def url(name, *args):
    return reverse(name, args=args)


# Dates ---------------------------------------------------------------------------------


def today():
    return timezone.localdate()


def at(day: date, hour=12) -> datetime:
    """An aware datetime at `hour` o'clock, local time, on `day`."""
    return timezone.make_aware(datetime.combine(day, time(hour)))


def month_start(months_ago: int) -> date:
    """The first day of the month `months_ago` months before this one."""
    now = today()
    return add_months(date(now.year, now.month, 1), -months_ago)


def in_month(months_ago: int, day: int) -> date:
    return month_start(months_ago).replace(day=day)


def short(day: date) -> str:
    """How the dashboard writes a date: 5 Mar 2026."""
    return dateformat.format(day, "j M Y")


def long(day: date) -> str:
    """How the home, rules and safety pages write a date: 5 March 2026."""
    return dateformat.format(day, "j F Y")


# The database --------------------------------------------------------------------------

_TABLES = {}


def _table_query(model):
    """One SELECT of every row of the model's table, in primary key order (cached)."""
    if model not in _TABLES:
        qn = connection.ops.quote_name
        table, pk = qn(model._meta.db_table), qn(model._meta.pk.column)
        _TABLES[model] = f"SELECT * FROM {table} ORDER BY {pk}"
    return _TABLES[model]


def database_state(*only):
    """Every row of every table, so that "nothing changed" means exactly that.

    With arguments (app labels or models), only those apps' and models' tables: for a
    test that signs someone in (a session, a last sign-in time) between two snapshots.
    """
    models = [
        model
        for model in apps.get_models(include_auto_created=True)
        if not only or model._meta.app_label in only or model in only
    ]
    state = {}
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(_table_query(model))
            state[model._meta.label] = cursor.fetchall()
    return state


def without_audit_reads(before: dict, after: dict, *, allowed: bool) -> dict:
    """`after` with the audit events added since `before` taken out, once checked: only
    reads (opening the breach log, exporting the dashboard) and only when `allowed` (a
    page was shown). Nothing else may be on the audit trail after a GET or a refusal."""
    from groups.models import AuditEvent

    label = AuditEvent._meta.label
    added = set(after[label]) - set(before[label])
    assert set(before[label]) <= set(after[label]), "audit events changed or deleted"
    if added:
        assert allowed, f"a refused request wrote {len(added)} audit event(s)"
        actions = set(
            AuditEvent.objects.filter(pk__in=[row[0] for row in added]).values_list(
                "action", flat=True
            )
        )
        assert actions <= AuditEvent.READS, actions
    return {**after, label: before[label]}


def kept_and_rebuilt(group_ids, today=None):
    """The groups' summary rows as kept, and as worked out afresh: ({id: {column: value}},
    the same), without the day each was worked out on."""
    rebuilt = summaries.compute(group_ids, today)
    columns = sorted({c for values in rebuilt.values() for c in values} - {"computed_on"})
    kept = {
        row["group_id"]: {c: row[c] for c in columns}
        for row in GroupSummary.objects.filter(group_id__in=group_ids).values("group_id", *columns)
    }
    return kept, {gid: {c: values[c] for c in columns} for gid, values in rebuilt.items()}


def database_text() -> str:
    """Every stored value of every table (sessions decoded), as one string."""
    chunks = [
        repr(row)
        for model in apps.get_models(include_auto_created=True)
        for row in model._base_manager.values_list()
    ]
    chunks += [repr(s.get_decoded()) for s in Session.objects.all()]
    return "\n".join(chunks)


@contextmanager
def built_once(django_db_blocker):
    """A transaction around a world that a whole module (or class) of tests reads.

    Use it in a module- or class-scoped fixture that builds the world and yields it;
    everything is rolled back when the module (or class) is done. Each test runs in
    pytest-django's `db` transaction, which nests in this one as a savepoint and is
    rolled back after the test, so what a test writes never reaches the next one. Hand
    each test `fresh(world)`, so that what it changes in memory does not either.
    Modules that need real commits (`transactional_db`, `live_server`, the PostgreSQL
    concurrency tests) must not use it.
    """
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        # As django.test.TestCase marks its class-wide transaction: a durable atomic
        # block in the code under test may then run inside it, as it may in a test.
        atomic._from_testcase = True
        with atomic:
            yield
            transaction.set_rollback(True)


def fresh(world):
    """A deep copy of a world built once, for one test (as Django's TestData does)."""
    return copy.deepcopy(world)
