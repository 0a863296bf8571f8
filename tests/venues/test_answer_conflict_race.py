"""Two facilitators answering the same question at the same moment, on PostgreSQL.

Both pages showed no answer yet; both answers are posted together (htmx) from their
own sessions. The first to lock the check lingers with the lock held, so the other
arrives in between: exactly one answer is saved, the other is answered with the
saved one beside it, and each person's words are in the database or in the reply.
"""

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from groups.conflicts import stamp_of
from groups.models import Membership
from tests.builders import (
    add_member,
    answer_questions,
    make_group,
    make_organisation,
    make_user,
    submit_data,
    venue,
)
from tests.builders import question as question_of
from tests.concurrency import linger_after, run_together
from venues import services
from venues.models import Answer, Assessment

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

HTMX = {"HTTP_HX_REQUEST": "true"}
TYPED = {"fay": ("yes", "The door shuts properly."), "sol": ("no", "The walls are thin.")}


@pytest.mark.parametrize("attempt", range(3))
def test_exactly_one_of_two_racing_answers_is_saved_and_the_other_is_shown_both(
    monkeypatch, attempt
):
    org = make_organisation(f"Race {attempt}")
    group = make_group(org, "Racers")
    people = {"fay": make_user("Fay Facilitator"), "sol": make_user("Sol Second")}
    for person in people.values():
        add_member(group, person, Membership.Role.FACILITATOR)
    room = venue(org, "Mill Hall", used_by=[group])
    check = services.start_assessment(group=group, venue=room, by=people["fay"])
    asked = question_of(check, "private")
    url = f"/groups/{group.slug}/assessments/{check.uuid}/questions/private/answer/"
    clients = {}
    for name, person in people.items():
        clients[name] = Client()
        clients[name].force_login(person)
    locked_first = linger_after(monkeypatch, services.assessments, "_lock_open")

    def send(name):
        value, note = TYPED[name]
        data = {f"q{asked.pk}": value, f"q{asked.pk}_note": note, f"q{asked.pk}_base": ""}
        return lambda: clients[name].post(url, data, **HTMX)

    results = run_together(fay=send("fay"), sol=send("sol"))

    for name, (_response, error) in results.items():
        assert error is None, (name, error)
    outcomes = {name: response["X-Answer"] for name, (response, _e) in results.items()}
    assert sorted(outcomes.values()) == ["conflict", "saved"], outcomes
    winner = next(name for name, outcome in outcomes.items() if outcome == "saved")
    loser = "sol" if winner == "fay" else "fay"
    assert locked_first[0] == winner
    saved = Answer.objects.get(assessment=check, question=asked)
    assert (saved.value, saved.note, saved.changed_by) == (*TYPED[winner], people[winner])
    reply = results[loser][0].content.decode()
    assert TYPED[loser][1] in reply and TYPED[winner][1] in reply
    assert f"{people[winner].display_name} answered this question on" in reply
    assert Assessment.objects.get(pk=check.pk).answers.count() == 1


@pytest.mark.parametrize("attempt", range(2))
def test_a_check_submitted_while_an_answer_changes_keeps_both_straight(monkeypatch, attempt):
    """One facilitator submits from the confirmation page while the other changes an answer:
    either the answer lands first and the submission is refused (answers changed), or the
    submission lands first and the answer is refused (already submitted). Never both."""
    org = make_organisation(f"Submit race {attempt}")
    group = make_group(org, "Racers")
    people = {"fay": make_user("Fay Facilitator"), "sol": make_user("Sol Second")}
    for person in people.values():
        add_member(group, person, Membership.Role.FACILITATOR)
    room = venue(org, "Mill Hall", used_by=[group])
    check = services.start_assessment(group=group, venue=room, by=people["fay"])
    answer_questions(check)
    asked = question_of(check, "private")
    clients = {}
    for name, person in people.items():
        clients[name] = Client()
        clients[name].force_login(person)
    base = f"/groups/{group.slug}/assessments/{check.uuid}/"
    seen = submit_data(check)
    current = Answer.objects.get(assessment=check, question=asked)
    change = {
        f"q{asked.pk}": "no",
        f"q{asked.pk}_note": "Thin walls.",
        f"q{asked.pk}_base": stamp_of(current),
    }
    linger_after(monkeypatch, services.assessments, "_lock_open")

    results = run_together(
        fay=lambda: clients["fay"].post(base + "submit/", seen),
        sol=lambda: clients["sol"].post(base + "questions/private/answer/", change, **HTMX),
    )

    for name, (_response, error) in results.items():
        assert error is None, (name, error)
    check = Assessment.objects.get(pk=check.pk)
    saved = Answer.objects.get(assessment=check, question=asked)
    answer_outcome = results["sol"][0]["X-Answer"]
    if check.submitted_at is not None:
        assert answer_outcome == "refused" and saved.value != "no"
        assert check.critical_flag is False
    else:
        assert answer_outcome == "saved" and saved.value == "no"
        [message] = [str(m) for m in get_messages(results["fay"][0].wsgi_request)]
        assert "Answers were given or changed since you opened this page" in message
