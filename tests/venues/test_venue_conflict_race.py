"""A coordinator and a facilitator saving one venue's details at the same moment, on
PostgreSQL: exactly one save wins; the other gets the conflict page with its words."""

import pytest
from django.test import Client

from groups.conflicts import stamp_of
from groups.models import Membership
from tests.builders import add_member, make_group, make_organisation, make_user, venue
from tests.concurrency import linger_after, one_saved_one_refused, opened_by, run_together
from tests.pages import base_of, html
from venues import services
from venues.models import Venue

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

TYPED = {"cora": "Lift to the first floor.", "fay": "Ramp at the back door."}


@pytest.mark.parametrize("attempt", range(2))
def test_exactly_one_of_two_racing_venue_saves_wins(monkeypatch, attempt):
    people = {"cora": make_user("Cora Coordinator"), "fay": make_user("Fay Facilitator")}
    org = make_organisation(f"Race {attempt}", coordinators=[people["cora"]])
    group = make_group(org, "Racers")
    add_member(group, people["fay"], Membership.Role.FACILITATOR)
    room = venue(org, "Mill Hall", used_by=[group], address="1 Mill Lane")
    url = f"/venues/{room.uuid}/edit/"
    clients, bases = opened_by(people, url)
    checked = linger_after(monkeypatch, services.library, "refuse_stale")

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

    statuses = one_saved_one_refused(results)
    winner = next(name for name, status in statuses.items() if status == 302)
    loser = "fay" if winner == "cora" else "cora"
    assert checked[0] == winner
    room = Venue.objects.get(pk=room.pk)
    assert (room.access_notes, room.changed_by) == (TYPED[winner], people[winner])
    page = html(results[loser][0])
    assert f"{TYPED[loser]}</textarea>" in page and TYPED[winner] in page
    assert base_of(results[loser][0]) == stamp_of(room)


def test_exactly_one_of_two_racing_edits_of_one_question_wins(monkeypatch):
    from django.urls import reverse

    from groups.models import Coordinator
    from venues.models import Template

    people = {"cora": make_user("Cora Coordinator"), "cal": make_user("Cal Coordinator")}
    org = make_organisation("Race questions", coordinators=list(people.values()))
    v1 = services.ensure_template(org)
    private = v1.questions.get(key="private")
    assert Coordinator.objects.filter(organisation=org).count() == 2
    url = reverse("venues:question_edit", args=[org.slug, "private"])
    clients = {}
    for name, person in people.items():
        clients[name] = Client()
        clients[name].force_login(person)
        assert base_of(clients[name].get(url)) == "1"
    worded = {"cora": "Is the room private?", "cal": "Can nobody overhear us?"}
    checked = linger_after(monkeypatch, services.templates, "_refuse_question_changed")

    def save(name):
        data = {
            "section": private.section,
            "applies_to": private.applies_to,
            "need": private.need,
            "not_for_need": private.not_for_need,
            "text": worded[name],
            "help_text": private.help_text,
            "safe_answer": private.safe_answer,
            "base": "1",
            **({"critical": "on"} if private.critical else {}),
        }
        return lambda: clients[name].post(url, data)

    results = run_together(cora=save("cora"), cal=save("cal"))

    statuses = one_saved_one_refused(results)
    winner = checked[0]
    loser = "cal" if winner == "cora" else "cora"
    assert statuses[winner] == 302
    latest = Template.objects.filter(organisation=org).first()
    assert latest.version == 2  # one new version, not two
    assert latest.questions.get(key="private").text == worded[winner]
    page = html(results[loser][0])
    assert f'value="{worded[loser]}"' in page and worded[winner] in page
    assert f"{people[winner].display_name} changed it on" in page


def test_two_facilitators_closing_one_action_at_once_close_it_once(monkeypatch):
    from django.urls import reverse

    from groups import summaries
    from tests.builders import action, assess
    from tests.pages import messages_of
    from venues.models import Action

    people = {"fay": make_user("Fay Facilitator"), "sol": make_user("Sol Facilitator")}
    org = make_organisation("Race actions")
    group = make_group(org, "Closers")
    for person in people.values():
        add_member(group, person, Membership.Role.FACILITATOR)
    check = assess(group, venue(org, "Hall", used_by=[group]), people["fay"], default="unsafe")
    todo = action(check, "private", people["fay"])
    url = reverse("venues:action", args=[group.slug, todo.uuid])
    clients = {}
    for name, person in people.items():
        clients[name] = Client()
        clients[name].force_login(person)
        clients[name].get(url)
    notes = {"fay": "Curtains put up.", "sol": "Moved to the back room."}
    # The first to close lingers with the action locked, after writing, before committing.
    linger_after(monkeypatch, summaries, "refresh")

    def close(name):
        return lambda: clients[name].post(url, {"status": "done", "note": notes[name]})

    results = run_together(fay=close("fay"), sol=close("sol"))

    assert all(error is None for _r, error in results.values()), results
    assert all(response.status_code == 302 for response, _e in results.values())
    closed = Action.objects.get(pk=todo.pk)
    assert closed.status == Action.Status.DONE
    winner = next(name for name, note in notes.items() if note == closed.closing_note)
    loser = "sol" if winner == "fay" else "fay"
    said = " ".join(messages_of(clients[loser].get(url)))
    assert "has not been closed again" in said and notes[loser] in said  # their note given back
    assert "The action has been closed." in " ".join(messages_of(clients[winner].get(url)))
