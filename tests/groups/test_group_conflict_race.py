"""A coordinator and a facilitator saving a group's details at the same moment, on
PostgreSQL: exactly one save wins; the other gets the conflict page with its words."""

import pytest
from django.urls import reverse

from groups import services
from groups.conflicts import stamp_of
from groups.models import Group, HelpService, Membership
from tests.builders import add_member, make_group, make_organisation, make_user
from tests.concurrency import linger_after, one_saved_one_refused, opened_by, run_together
from tests.pages import base_of, html

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

TYPED = {"cora": "Carers, every Tuesday evening.", "fay": "A circle for young carers."}


def test_exactly_one_of_two_racing_group_saves_wins(monkeypatch):
    people = {"cora": make_user("Cora Coordinator"), "fay": make_user("Fay Facilitator")}
    org = make_organisation("Race", coordinators=[people["cora"]])
    group = make_group(org, "Racers")
    add_member(group, people["fay"], Membership.Role.FACILITATOR)
    url = reverse("groups:edit", args=[group.slug])
    clients, bases = opened_by(people, url)
    checked = linger_after(monkeypatch, services, "refuse_stale")

    def save(name):
        data = {
            "name": "Racers",
            "purpose": TYPED[name],
            "format": "in_person",
            "upheld_by": "facilitators",
            "quick_exit": "auto",
            "base": bases[name],
        }
        return lambda: clients[name].post(url, data)

    results = run_together(cora=save("cora"), fay=save("fay"))

    statuses = one_saved_one_refused(results)
    winner = next(name for name, status in statuses.items() if status == 302)
    loser = "fay" if winner == "cora" else "cora"
    assert checked[0] == winner
    group = Group.objects.get(pk=group.pk)
    assert group.purpose == TYPED[winner]
    page = html(results[loser][0])
    assert f"{TYPED[loser]}</textarea>" in page and TYPED[winner] in page
    assert base_of(results[loser][0]) == stamp_of(group)


def test_exactly_one_of_two_racing_saves_of_a_help_entry_wins(monkeypatch):
    people = {"cora": make_user("Cora Coordinator"), "fay": make_user("Fay Facilitator")}
    org = make_organisation("Race help", coordinators=[people["cora"]])
    group = make_group(org, "Helpers")
    add_member(group, people["fay"], Membership.Role.FACILITATOR)
    line = HelpService.objects.create(
        group=group, name="Carers line", what_for="Talking it through.", phone="0800 111 2222"
    )
    url = reverse("groups:help_edit", args=[group.slug, line.uuid])
    clients, bases = opened_by(people, url)
    hours = {"cora": "Weekdays, 9 to 5", "fay": "Every evening"}
    checked = linger_after(monkeypatch, services, "refuse_stale")

    def save(name):
        data = {
            "name": "Carers line",
            "what_for": "Talking it through.",
            "phone": "0800 111 2222",
            "hours": hours[name],
            "base": bases[name],
        }
        return lambda: clients[name].post(url, data)

    results = run_together(cora=save("cora"), fay=save("fay"))

    statuses = one_saved_one_refused(results)
    winner = checked[0]
    loser = "fay" if winner == "cora" else "cora"
    assert statuses[winner] == 302
    assert HelpService.objects.get(pk=line.pk).hours == hours[winner]
    page = html(results[loser][0])
    assert f'value="{hours[loser]}"' in page and hours[winner] in page
    assert f"saved by {people[winner].display_name}" in page
