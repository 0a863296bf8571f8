"""Prepared queries (groups/prepared.py): the ORM's SQL and objects, compiled once."""

import datetime
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Prefetch
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from groups.models import Group, Membership, User
from groups.prepared import LONGEST_LIST, Prepared
from groups.selectors import groups_for_user
from tests.builders import build_cast
from tests.concurrency import run_together
from venues.models import Venue


def _visible(user, slug):
    return groups_for_user(User(pk=user)).filter(slug=slug)[:1]


def _run(rows_of):
    with CaptureQueriesContext(connection) as queries:
        rows = list(rows_of())
    return rows, [q["sql"] for q in queries.captured_queries]


def test_it_sends_the_orms_sql_and_builds_the_same_objects_for_each_set_of_values(cast):
    prepared = Prepared(_visible, user=int, slug=str)
    for user, group in [
        (cast.peer, cast.group_a),
        (cast.coordinator, cast.group_a),
        (cast.other_peer, cast.group_b),
    ]:
        expected, expected_sql = _run(lambda: _visible(user.pk, group.slug))  # noqa: B023
        got, got_sql = _run(lambda: prepared(user=user.pk, slug=group.slug))  # noqa: B023
        assert got_sql == expected_sql
        assert [g.pk for g in got] == [g.pk for g in expected] == [group.pk]
        for name in ("name", "slug", "archived_at", "organisation_id"):
            assert getattr(got[0], name) == getattr(expected[0], name)
        for name in ("viewer_id", "viewer_role", "viewer_is_coordinator"):
            assert getattr(got[0], name) == getattr(expected[0], name), name
        # The organisation came with it (select_related), as from the ORM.
        with CaptureQueriesContext(connection) as more:
            assert got[0].organisation.name == group.organisation.name
        assert len(more) == 0


def test_one_persons_values_never_leak_into_anothers_call(cast):
    prepared = Prepared(_visible, user=int, slug=str)
    assert prepared.first(user=cast.peer.pk, slug=cast.group_a.slug).viewer_role == "peer"
    assert prepared.first(user=cast.other_peer.pk, slug=cast.group_a.slug) is None
    assert prepared.first(user=cast.facilitator.pk, slug=cast.group_a.slug).viewer_role == (
        Membership.Role.FACILITATOR
    )
    assert prepared.first(user=cast.peer.pk, slug="no-such-group") is None


def test_values_and_prefetches_work_as_through_the_orm(cast):
    rows = Prepared(
        lambda group: (
            Membership.objects.filter(group_id=group)
            .order_by("user__display_name")
            .values("user__display_name", "role")
        ),
        group=int,
    )(group=cast.group_a.pk)
    assert rows == [
        {"user__display_name": "Fay Facilitator", "role": "facilitator"},
        {"user__display_name": "Pat Peer", "role": "peer"},
    ]
    groups = Prepared(
        lambda pk: Group.objects.filter(pk=pk).prefetch_related(
            Prefetch("memberships", queryset=Membership.objects.order_by("role"))
        ),
        pk=int,
    )(pk=cast.group_a.pk)
    with CaptureQueriesContext(connection) as more:
        assert [m.role for m in groups[0].memberships.all()] == ["facilitator", "peer"]
    assert len(more) == 0


@pytest.mark.parametrize("lookup", ["contains", "istartswith", "endswith"])
def test_a_lookup_that_rewrites_its_value_is_refused(lookup):
    """Such a lookup escapes % and _ in the value when it compiles: a real value put in
    the compiled query unescaped would match other rows. Refused before any query runs."""
    prepared = Prepared(lambda slug: Group.objects.filter(**{f"slug__{lookup}": slug}), slug=str)
    with pytest.raises(ValueError, match="cannot be prepared"):
        prepared(slug="100%")


def test_it_asks_for_exactly_its_values(cast):
    prepared = Prepared(_visible, user=int, slug=str)
    with pytest.raises(TypeError):
        prepared(user=cast.peer.pk)
    with pytest.raises(TypeError):
        Prepared(_visible, user=float)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_it_runs_on_the_calling_threads_connection():
    """Compiled on one thread, run on others at once (a threaded server): each on its own
    thread's connection, as Django requires, and each with its own values."""
    cast = build_cast()
    prepared = Prepared(_visible, user=int, slug=str)
    prepared(user=cast.peer.pk, slug=cast.group_a.slug)
    results = run_together(
        peer=lambda: prepared.first(user=cast.peer.pk, slug=cast.group_a.slug).viewer_role,
        outsider=lambda: prepared.first(user=cast.other_peer.pk, slug=cast.group_a.slug),
    )
    assert results == {"peer": ("peer", None), "outsider": (None, None)}


def test_a_number_no_column_could_hold_is_left_to_the_orm(cast):
    """From a URL, say: the database would fail on it (SQLite cannot take it at all), the
    ORM knows that no row matches."""
    prepared = Prepared(lambda pk: Group.objects.filter(pk=pk), pk=int)
    assert prepared(pk=10**30) == []
    assert prepared(pk=-(10**30)) == []
    assert prepared(pk=cast.group_a.pk) == [cast.group_a]


def test_a_query_that_compiles_to_nothing_is_refused():
    prepared = Prepared(lambda pk: Group.objects.filter(pk=pk).none(), pk=int)
    with pytest.raises(ValueError, match="cannot be prepared"):
        prepared(pk=1)


def _memberships_of(groups, since):
    return (
        Membership.objects.filter(group_id__in=groups, joined_at__date__gte=since)
        .order_by("group_id", "user_id")
        .values_list("group_id", "user_id")
    )


def test_lists_of_ids_and_dates_send_the_orms_sql_compiled_once_for_each_length(cast):
    """`__in` a list: its length changes the SQL, so each length met is compiled once; a
    date reaches the database as its driver takes it (text on SQLite)."""
    prepared = Prepared(_memberships_of, groups=list, since=datetime.date)
    long_ago, tomorrow = datetime.date(2000, 1, 1), timezone.localdate() + timedelta(days=1)
    a, b = cast.group_a.pk, cast.group_b.pk
    for groups, since in [
        ([a], long_ago),
        ([b], long_ago),
        ([a, b], long_ago),
        ([b, a], tomorrow),
        ([a, a, b], long_ago),  # the same id twice: the ORM sends it once, the rows agree
    ]:
        expected, expected_sql = _run(lambda: _memberships_of(groups, since))  # noqa: B023
        got, got_sql = _run(lambda: prepared(groups=groups, since=since))  # noqa: B023
        assert got == expected
        if len(set(groups)) == len(groups):
            assert got_sql == expected_sql
    assert prepared(groups=[a], since=long_ago) != prepared(groups=[b], since=long_ago)
    assert prepared(groups=[a], since=tomorrow) == []
    assert len(prepared._compiled) == 3  # lengths 1, 2 and 3


def test_an_empty_or_long_list_is_left_to_the_orm(cast):
    prepared = Prepared(_memberships_of, groups=list, since=datetime.date)
    long_ago = datetime.date(2000, 1, 1)
    assert prepared(groups=[], since=long_ago) == []
    many = [cast.group_a.pk, *range(10**6, 10**6 + LONGEST_LIST)]
    assert prepared(groups=many, since=long_ago) == list(_memberships_of(many, long_ago))
    assert prepared._compiled == {}


def test_a_value_not_of_its_kind_is_refused(cast):
    prepared = Prepared(_memberships_of, groups=list, since=datetime.date)
    with pytest.raises(TypeError):
        prepared(groups=cast.group_a.pk, since=datetime.date(2000, 1, 1))
    with pytest.raises(TypeError):
        prepared(groups=["1"], since=datetime.date(2000, 1, 1))
    with pytest.raises(TypeError):
        prepared(groups=[cast.group_a.pk], since=timezone.now())  # a datetime is not a date


def _joined_by(group, moment):
    return Membership.objects.filter(group_id=group, joined_at__lte=moment).order_by("pk")


def test_a_moment_sends_the_orms_sql_and_a_naive_one_is_refused(cast):
    """A moment reaches the database as the ORM gives it (text in UTC on SQLite)."""
    prepared = Prepared(_joined_by, group=int, moment=datetime.datetime)
    now = timezone.now()
    for moment in (
        now,
        now - timedelta(days=3650),
        now.astimezone(datetime.timezone(timedelta(hours=5))),
    ):
        expected, expected_sql = _run(lambda: _joined_by(cast.group_a.pk, moment))  # noqa: B023
        got, got_sql = _run(lambda: prepared(group=cast.group_a.pk, moment=moment))  # noqa: B023
        assert got == expected
        assert got_sql == expected_sql
    assert prepared(group=cast.group_a.pk, moment=now)
    assert prepared(group=cast.group_a.pk, moment=now - timedelta(days=3650)) == []
    with pytest.raises(TypeError):
        prepared(group=cast.group_a.pk, moment=datetime.datetime(2026, 1, 1))  # naive


def test_a_uuid_sends_the_orms_sql_on_either_database_and_a_string_is_refused(cast):
    """A uuid reaches the database as the ORM gives it (32 hex digits on SQLite, a uuid
    on PostgreSQL): each call finds its own row, and no other."""
    first, second = (
        Venue.objects.create(organisation=cast.org_a, name=name, kind=Venue.Kind.ONLINE)
        for name in ("Zoom room", "Teams room")
    )

    def by_uuid(organisation, key):
        return Venue.objects.filter(organisation=organisation, uuid=key).order_by("pk")[:1]

    prepared = Prepared(by_uuid, organisation=int, key=uuid.UUID)
    for venue in (first, second, first):
        expected, expected_sql = _run(lambda: by_uuid(cast.org_a.pk, venue.uuid))  # noqa: B023
        got, got_sql = _run(lambda: prepared(organisation=cast.org_a.pk, key=venue.uuid))  # noqa: B023
        assert got_sql == expected_sql
        assert got == expected == [venue]
    assert prepared(organisation=cast.org_a.pk, key=uuid.uuid4()) == []
    with pytest.raises(TypeError):
        prepared(organisation=cast.org_a.pk, key=str(first.uuid))
