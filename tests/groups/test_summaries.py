"""Each group's summary row, kept by the services, is what working it out afresh gives.

For random sequences of changes made through the services (archiving and restoring a
group, its name and format, members leaving, drafts,
rounds, answers, adoption, reviews and their interval, breaches, venues, checks,
actions, private concerns), after every change the rows kept equal the rows rebuilt
from scratch (groups.summaries.compute). The daily refresh catches what changes with
the date alone, and `refresh_summaries` rebuilds every row.
"""

import io
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from groundrules import services as rule_services
from groundrules.models import Version
from groups import services as group_services
from groups import summaries
from groups.dates import add_months
from groups.models import Concern, GroupSummary, Membership
from tests import builders
from tests.builders import kept_and_rebuilt
from venues import services as venue_services
from venues.models import Action


@pytest.fixture
def world(db):
    coordinator, fay, pat, sam = builders.people("Cora", "Fay", "Pat", "Sam")
    org = builders.make_organisation("Summaries", coordinators=[coordinator])
    groups = [
        builders.group(org, name, facilitators=[fay], peers=[pat, sam]) for name in ("A", "B")
    ]
    hall = builders.venue(org, "Hall")
    return SimpleNamespace(
        coordinator=coordinator, fay=fay, pat=pat, sam=sam, org=org, groups=groups, hall=hall
    )


def _version(group, *statuses):
    return (
        Version.objects.filter(group=group).filter(status__in=statuses).order_by("-number").first()
    )


# Each change: a function(world, group) that first makes what it needs (a round to adopt, a
# check to act on), so that short random sequences still reach every service.
def leave(w, group):
    membership = Membership.objects.current().filter(group=group, user=w.sam).first()
    if membership:
        group_services.end_membership(membership, ending=Membership.Ending.LEFT)


def put_to_group(w, group):
    if not _version(group, "in_round"):
        builders.put_to_group(group, w.fay)


def answer_agree(w, group):
    version = _version(group, "in_round", "adopted") or builders.put_to_group(group, w.fay)
    builders.answer(version, w.fay)


def answer_talk(w, group):
    version = _version(group, "in_round", "adopted") or builders.put_to_group(group, w.fay)
    if Membership.objects.current().filter(group=group, user=w.pat).exists():
        builders.answer(version, w.pat, "talk")


def adopt(w, group):
    put_to_group(w, group)
    builders.adopt_round(_version(group, "in_round"), w.fay)


def withdraw(w, group):
    put_to_group(w, group)
    rule_services.withdraw_round(version=_version(group, "in_round"), by=w.fay, outcome="No.")


def review(w, group):
    if not _version(group, "adopted"):
        adopt(w, group)
    rule_services.record_review(
        group=group,
        by=w.fay,
        held_on=builders.today() - timedelta(days=1),
        participants=3,
        outcome="no_change",
        notes="",
        items={},
    )


def review_every_month(w, group):
    rule_services.save_review_interval(group=group, months=1)


def breach(w, group):
    builders.breach(group, w.fay, builders.today() - timedelta(days=10))


def meet_in_hall(w, group):
    venue_services.set_group_venues(group=group, venues=[w.hall])


def meet_nowhere(w, group):
    venue_services.set_group_venues(group=group, venues=[])


def check_unsafe(w, group):
    meet_in_hall(w, group)
    return builders.assess(group, w.hall, w.fay, {"private": "no", "staffed": "partly"})


def check_safe(w, group):
    meet_in_hall(w, group)
    builders.assess(group, w.hall, w.fay)


def rename_hall(w, group):
    w.hall.name = f"{w.hall.name} again"[:60]
    venue_services.save_venue(venue=w.hall)


def open_action(w, group):
    check = check_unsafe(w, group)
    builders.action(check, "staffed", w.fay, due_on=builders.today() - timedelta(days=2))


def close_action(w, group):
    if not Action.objects.filter(group=group, status=Action.Status.OPEN).exists():
        open_action(w, group)
    builders.close(Action.objects.filter(group=group, status=Action.Status.OPEN).first())


def concern(w, group):
    group_services.send_concern(
        group=group, sender=w.fay, to=Concern.To.COORDINATORS, text="Worried.", link=str
    )


def follow_up(w, group):
    if not Concern.objects.open().filter(group=group).exists():
        concern(w, group)
    waiting = Concern.objects.open().filter(group=group).first()
    group_services.follow_up_concern(concern=waiting, by=w.coordinator)


def archive(w, group):
    group_services.archive_group(group)


def restore(w, group):
    group_services.restore_group(group)


def rename_and_go_online(w, group):
    group.refresh_from_db()
    group_services.update_group(
        group=group, fields={"name": group.name + " Online", "format": "online"}, needs=[]
    )


CHANGES = [
    archive,
    restore,
    rename_and_go_online,
    leave,
    put_to_group,
    answer_agree,
    answer_talk,
    adopt,
    withdraw,
    review,
    review_every_month,
    breach,
    meet_in_hall,
    meet_nowhere,
    rename_hall,
    check_unsafe,
    check_safe,
    open_action,
    close_action,
    concern,
    follow_up,
]


@settings(
    max_examples=30,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(st.tuples(st.sampled_from(CHANGES), st.sampled_from([0, 1])), max_size=8))
def test_kept_summaries_equal_rebuilt_ones_after_any_changes(world, changes):
    ids = [g.pk for g in world.groups]
    with transaction.atomic():
        for change, which in changes:
            note(f"{change.__name__} in group {which}")
            group = world.groups[which]
            change(world, group)
            kept, rebuilt = kept_and_rebuilt(ids)
            assert kept == rebuilt
        transaction.set_rollback(True)


def test_a_change_shows_in_the_summary_at_once(world):
    group = world.groups[0]
    assert GroupSummary.objects.get(group=group).rules_status == "none"
    put_to_group(world, group)
    summary = GroupSummary.objects.get(group=group)
    assert (summary.rules_status, summary.round_answered) == ("round", 0)
    answer_agree(world, group)
    assert GroupSummary.objects.get(group=group).round_answered == 1


def test_the_daily_refresh_catches_what_changes_with_the_date(world):
    group = world.groups[0]
    builders.adopt(group, world.fay, agreeing=[world.fay, world.pat, world.sam])
    later = add_months(builders.today(), 7)
    kept, rebuilt = kept_and_rebuilt([group.pk], later)
    assert not kept[group.pk]["review_overdue"]
    assert rebuilt[group.pk]["review_overdue"]
    summaries.refresh_all(later)
    kept, rebuilt = kept_and_rebuilt([group.pk], later)
    assert kept == rebuilt
    assert kept[group.pk]["review_overdue"]


def test_the_command_rebuilds_every_summary(world):
    ids = [g.pk for g in world.groups]
    GroupSummary.objects.all().delete()
    out = io.StringIO()
    call_command("refresh_summaries", stdout=out)
    assert "group summaries worked out again" in out.getvalue()
    kept, rebuilt = kept_and_rebuilt(ids)
    assert set(kept) == set(ids)
    assert kept == rebuilt
