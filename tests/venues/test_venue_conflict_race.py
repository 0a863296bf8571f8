"""A coordinator and a facilitator saving one venue's details at the same moment, on
PostgreSQL: exactly one save wins; the other gets the conflict page with its words."""

import threading
import time

import pytest
from django.test import Client

from groups.conflicts import stamp_of
from groups.models import Membership
from tests.builders import add_member, make_group, make_organisation, make_user, venue
from tests.concurrency import run_together
from tests.pages import base_of, html
from venues import services
from venues.models import Venue

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

TYPED = {"cora": "Lift to the first floor.", "fay": "Ramp at the back door."}


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


@pytest.mark.parametrize("attempt", range(2))
def test_exactly_one_of_two_racing_venue_saves_wins(monkeypatch, attempt):
    people = {"cora": make_user("Cora Coordinator"), "fay": make_user("Fay Facilitator")}
    org = make_organisation(f"Race {attempt}", coordinators=[people["cora"]])
    group = make_group(org, "Racers")
    add_member(group, people["fay"], Membership.Role.FACILITATOR)
    room = venue(org, "Mill Hall", used_by=[group], address="1 Mill Lane")
    url = f"/venues/{room.uuid}/edit/"
    clients, bases = {}, {}
    for name, person in people.items():
        clients[name] = Client()
        clients[name].force_login(person)
        bases[name] = base_of(clients[name].get(url))
    checked = linger_after_the_check(monkeypatch)

    def save(name):
        data = {
            "kind": "physical",
            "name": "Mill Hall",
            "address": "1 Mill Lane",
            "access_notes": TYPED[name],
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
    room = Venue.objects.get(pk=room.pk)
    assert (room.access_notes, room.changed_by) == (TYPED[winner], people[winner])
    page = html(results[loser][0])
    assert f"{TYPED[loser]}</textarea>" in page and TYPED[winner] in page
    assert base_of(results[loser][0]) == stamp_of(room)
