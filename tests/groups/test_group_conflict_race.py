"""A coordinator and a facilitator saving a group's details at the same moment, on
PostgreSQL: exactly one save wins; the other gets the conflict page with its words."""

import threading
import time

import pytest
from django.test import Client
from django.urls import reverse

from groups import services
from groups.conflicts import stamp_of
from groups.models import Group, Membership
from tests.builders import add_member, make_group, make_organisation, make_user
from tests.concurrency import run_together
from tests.pages import base_of, html

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

TYPED = {"cora": "Carers, every Tuesday evening.", "fay": "A circle for young carers."}


def linger_after_the_check(monkeypatch, seconds=0.5):
    real = services.refuse_stale
    first = []
    guard = threading.Lock()

    def check_then_linger(*args, **kwargs):
        real(*args, **kwargs)
        with guard:
            me_first = not first
            first.append(threading.current_thread().name)
        if me_first:
            time.sleep(seconds)

    monkeypatch.setattr(services, "refuse_stale", check_then_linger)
    return first


def test_exactly_one_of_two_racing_group_saves_wins(monkeypatch):
    people = {"cora": make_user("Cora Coordinator"), "fay": make_user("Fay Facilitator")}
    org = make_organisation("Race", coordinators=[people["cora"]])
    group = make_group(org, "Racers")
    add_member(group, people["fay"], Membership.Role.FACILITATOR)
    url = reverse("groups:edit", args=[group.slug])
    clients, bases = {}, {}
    for name, person in people.items():
        clients[name] = Client()
        clients[name].force_login(person)
        bases[name] = base_of(clients[name].get(url))
    checked = linger_after_the_check(monkeypatch)

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

    for name, (_response, error) in results.items():
        assert error is None, (name, error)
    statuses = {name: response.status_code for name, (response, _e) in results.items()}
    assert sorted(statuses.values()) == [302, 409], statuses
    winner = next(name for name, status in statuses.items() if status == 302)
    loser = "fay" if winner == "cora" else "cora"
    assert checked[0] == winner
    group = Group.objects.get(pk=group.pk)
    assert group.purpose == TYPED[winner]
    page = html(results[loser][0])
    assert f"{TYPED[loser]}</textarea>" in page and TYPED[winner] in page
    assert base_of(results[loser][0]) == stamp_of(group)
