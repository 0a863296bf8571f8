"""The demo data command: development only, documented sign-ins, safe to run twice."""

from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command
from django.test import override_settings

from groups.models import Coordinator, Group, GroupNeed, Membership, Organisation
from tests.builders import kept_and_rebuilt

User = get_user_model()
DEMO_PASSWORD = "safe-space-demo"
# The sign-ins README.md documents (and the command prints).
DOCUMENTED = [
    "coordinator@example.org",
    "facilitator@example.org",
    "peer@example.org",
    "other-coordinator@example.org",
    "other-peer@example.org",
]


def row_counts():
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in {"accounts", "groups", "groundrules", "venues"}
    }


def run_demo_data():
    out = StringIO()
    with override_settings(DEBUG=True):
        call_command("demo_data", stdout=out)
    return out.getvalue()


def test_refuses_with_debug_off(db):
    before = row_counts()
    with pytest.raises(CommandError, match="only runs with DEBUG on"):
        call_command("demo_data", stdout=StringIO())
    assert row_counts() == before
    assert not User.objects.exists()


def test_creates_the_documented_demo(db):
    output = run_demo_data()

    for email in DOCUMENTED:
        assert email in output
        user = authenticate(username=email, password=DEMO_PASSWORD)
        assert user is not None, email
        assert user.email == email
    assert DEMO_PASSWORD in output

    assert Organisation.objects.count() == 2
    riverside = Organisation.objects.get(name="Riverside Peer Support")
    northgate = Organisation.objects.get(name="Northgate Wellbeing Network")
    assert Group.objects.count() == 4
    assert sorted(
        Group.objects.filter(organisation=riverside).values_list("format", flat=True)
    ) == [
        Group.Format.HYBRID,
        Group.Format.IN_PERSON,
        Group.Format.ONLINE,
    ]
    assert Group.objects.filter(organisation=northgate).count() == 1
    assert GroupNeed.objects.filter(group__organisation=riverside).exists()

    def coordinates(email):
        return set(
            Coordinator.objects.filter(user__email=email).values_list("organisation", flat=True)
        )

    def current(email, role):
        return Membership.objects.filter(user__email=email, role=role, left_at__isnull=True)

    # As README.md describes them.
    assert coordinates("coordinator@example.org") == {riverside.pk}
    assert coordinates("other-coordinator@example.org") == {northgate.pk}
    assert {m.group.organisation for m in current("facilitator@example.org", "facilitator")} == {
        riverside
    }
    assert current("facilitator@example.org", "facilitator").count() == 2
    assert current("peer@example.org", "peer").count() == 2
    assert {m.group.organisation for m in current("peer@example.org", "peer")} == {riverside}
    assert [m.group for m in current("other-peer@example.org", "peer")] == list(
        Group.objects.filter(organisation=northgate)
    )
    # Every group has a facilitator and members.
    for group in Group.objects.all():
        assert group.memberships.filter(role="facilitator", left_at__isnull=True).exists()
        assert group.memberships.filter(role="peer", left_at__isnull=True).exists()
    # Every group has its summary row (the dashboard reads them), as worked out afresh.
    ids = list(Group.objects.values_list("pk", flat=True))
    kept, rebuilt = kept_and_rebuilt(ids)
    assert set(kept) == set(ids)
    assert kept == rebuilt


def test_running_twice_creates_nothing_new(db):
    run_demo_data()
    first = row_counts()
    users = set(User.objects.values_list("pk", "email", "password"))
    memberships = set(Membership.objects.values_list("pk", "group_id", "user_id", "role"))

    run_demo_data()

    assert row_counts() == first
    assert set(User.objects.values_list("pk", "email", "password")) == users
    assert set(Membership.objects.values_list("pk", "group_id", "user_id", "role")) == memberships


def test_the_demo_trends_show_its_year_of_history(db, client):
    """The trends page reads the months the daily job keeps: the demo keeps its past
    months too, so the ground-rules chart shows its history, not "0 of 0"."""
    from safespace.dashboard.models import TrendMonth

    run_demo_data()
    riverside = Organisation.objects.get(name="Riverside Peer Support")
    kept = TrendMonth.objects.filter(organisation=riverside)
    assert kept.count() == 11  # every month of the last twelve that has ended
    assert all(month.groups == 3 for month in kept)
    assert any(month.good < month.groups for month in kept)  # a year that was not all good
    client.force_login(Coordinator.objects.get(organisation=riverside).user)
    page = client.get(f"/organisations/{riverside.slug}/trends/").content.decode()
    assert "0 of 0" not in page
