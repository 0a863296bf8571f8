"""Two facilitators answering the same question of a venue check: neither answer is lost.

Each page carries, per question, the stamp of the answer it showed ("" for none yet).
An answer saved as it is given (htmx) over one someone else gave since is not saved:
the reply shows theirs beside it, with one tap to keep mine or take theirs, and moves
the page on to their answer's stamp. A whole section saved over such answers saves
nothing and shows the section again with every answer typed, theirs beside each one.
"""

import re

import pytest
from django.test import Client

from groups.conflicts import stamp_of
from groups.models import Membership
from tests.builders import add_member, make_user
from venues.models import Answer

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def pair(cast, vn, room):
    """Fay and Sol, both facilitators of group A, each signed in; a check in progress."""
    sol = make_user("Sol Second")
    add_member(cast.group_a, sol, Membership.Role.FACILITATOR)
    clients = {}
    for name, person in (("fay", cast.facilitator), ("sol", sol)):
        clients[name] = Client()
        clients[name].force_login(person)
    clients["fay"].post(vn.url("start", cast.group_a.slug, room.uuid))
    return clients, cast.group_a.assessments.get(), sol


def answer(vn, cast, client, check, key, value, note="", base="", **extra):
    question = vn.question(check, key)
    data = {
        f"q{question.pk}": value,
        f"q{question.pk}_note": note,
        f"q{question.pk}_base": base,
    }
    return client.post(vn.url("answer", cast.group_a.slug, check.uuid, key), data, **extra)


def stored(vn, check, key):
    return Answer.objects.get(assessment=check, question=vn.question(check, key))


def oob_base(response, question):
    found = re.search(rf'name="q{question.pk}_base" value="([^"]*)"', response.content.decode())
    return found.group(1)


def test_a_newer_answer_is_shown_beside_mine_with_a_one_tap_choice(cast, vn, pair):
    clients, check, sol = pair
    private = vn.question(check, "private")
    saved = answer(vn, cast, clients["sol"], check, "private", "no", "Thin walls.", **HTMX)
    assert saved["X-Answer"] == "saved"
    theirs = stored(vn, check, "private")
    assert theirs.changed_by == sol and oob_base(saved, private) == stamp_of(theirs)

    # Fay's page was opened before Sol answered: its base is "" (no answer yet).
    reply = answer(vn, cast, clients["fay"], check, "private", "yes", "Door shuts.", **HTMX)

    assert reply.status_code == 200 and reply["X-Answer"] == "conflict"
    page = vn.html(reply)
    assert "Not saved yet: someone else answered this question." in page
    assert "Sol Second answered this question on" in page
    assert "Thin walls." in page and "Door shuts." in page
    assert 'data-conflict="mine"' in page
    assert 'data-conflict="theirs" data-value="no" data-note="Thin walls."' in page
    assert oob_base(reply, private) == stamp_of(theirs)  # the page moves on to theirs
    assert (stored(vn, check, "private").value, stored(vn, check, "private").note) == (
        "no",
        "Thin walls.",
    )

    # "Keep my answer" sends it again, from theirs.
    kept = answer(
        vn,
        cast,
        clients["fay"],
        check,
        "private",
        "yes",
        "Door shuts.",
        oob_base(reply, private),
        **HTMX,
    )
    assert kept["X-Answer"] == "saved"
    now = stored(vn, check, "private")
    assert (now.value, now.note, now.changed_by) == ("yes", "Door shuts.", cast.facilitator)


def test_the_same_answer_from_both_is_no_conflict(cast, vn, pair):
    clients, check, _sol = pair
    assert answer(vn, cast, clients["sol"], check, "private", "no", **HTMX)["X-Answer"] == "saved"
    assert answer(vn, cast, clients["fay"], check, "private", "no", **HTMX)["X-Answer"] == "saved"


def test_my_own_answers_in_a_row_never_conflict(cast, vn, pair):
    clients, check, _sol = pair
    private = vn.question(check, "private")
    first = answer(vn, cast, clients["fay"], check, "private", "no", **HTMX)
    # A refused save leaves the page on the stamp it sent.
    refused = answer(
        vn, cast, clients["fay"], check, "private", "", "A note.", oob_base(first, private), **HTMX
    )
    assert refused["X-Answer"] == "refused" and oob_base(refused, private) == oob_base(
        first, private
    )
    second = answer(
        vn,
        cast,
        clients["fay"],
        check,
        "private",
        "no",
        "A note.",
        oob_base(refused, private),
        **HTMX,
    )
    assert second["X-Answer"] == "saved"
    assert stored(vn, check, "private").note == "A note."


def test_without_htmx_the_message_keeps_both_answers(cast, vn, pair):
    clients, check, _sol = pair
    answer(vn, cast, clients["sol"], check, "private", "no", **HTMX)
    response = answer(vn, cast, clients["fay"], check, "private", "yes", "Door shuts.")
    assert response.status_code == 302
    [message] = vn.messages_of(response)
    assert "Sol Second answered this question after you opened the page (“No”)" in message
    assert "Your answer was “Yes”, with the note “Door shuts.”" in message
    assert stored(vn, check, "private").value == "no"


def test_a_section_saved_over_a_newer_answer_saves_nothing_and_keeps_every_answer(cast, vn, pair):
    clients, check, _sol = pair
    section = vn.url("section", cast.group_a.slug, check.uuid, "being_safe")
    typed = vn.section_data(check, "being_safe", {"private": "partly"}, notes={"private": "Mine."})
    answer(vn, cast, clients["sol"], check, "private", "no", "Theirs.", **HTMX)
    before = vn.state()

    response = clients["fay"].post(section, typed)

    assert response.status_code == 409
    assert vn.state() == before
    page = vn.html(response)
    assert "Nothing has been saved yet." in page
    assert page.count('class="callout callout-warning"') == 2  # the page's and the question's
    assert "Theirs." in page and 'value="Mine."' in page
    private = vn.question(check, "private")
    assert re.search(rf'name="q{private.pk}" value="partly"[^>]*checked', page)
    # Saved again as the page now stands: every answer, Fay's over Sol's.
    again = {**typed, f"q{private.pk}_base": oob_base(response, private)}
    assert clients["fay"].post(section, again).status_code == 302
    assert (stored(vn, check, "private").value, stored(vn, check, "private").note) == (
        "partly",
        "Mine.",
    )


def test_my_own_answer_still_on_its_way_when_i_press_save_is_no_conflict(cast, vn, pair):
    """On a slow signal, Fay's answer saved as she gives it has been stored, but its
    reply (with the new stamp) has not reached her page when she presses Save: the
    section arrives with the stamp of the page as she opened it. Her own answer is not
    someone else's: the section is saved, with what she chose last. Sol's answer in the
    same place is still a conflict."""
    clients, check, _sol = pair
    section = vn.url("section", cast.group_a.slug, check.uuid, "being_safe")
    typed = vn.section_data(check, "being_safe", {"private": "partly"}, notes={"private": "Mine."})
    assert answer(vn, cast, clients["fay"], check, "private", "no", **HTMX)["X-Answer"] == "saved"

    assert clients["fay"].post(section, typed).status_code == 302
    now = stored(vn, check, "private")
    assert (now.value, now.note, now.changed_by) == ("partly", "Mine.", cast.facilitator)

    # The same answer given again as she gives it, from the page she opened, is saved too.
    reply = answer(vn, cast, clients["fay"], check, "private", "yes", **HTMX)
    assert reply["X-Answer"] == "saved" and stored(vn, check, "private").value == "yes"
    # Sol, whose page is as old, is still shown hers rather than overwriting it.
    assert answer(vn, cast, clients["sol"], check, "private", "no", **HTMX)["X-Answer"] == (
        "conflict"
    )
    assert stored(vn, check, "private").value == "yes"


def test_submitting_after_an_answer_changed_is_refused_with_a_message(cast, vn, pair):
    clients, check, _sol = pair
    vn.answer(check)
    confirm = vn.html(clients["fay"].get(vn.url("submit", cast.group_a.slug, check.uuid)))
    seen = re.search(r'name="seen" value="([^"]*)"', confirm).group(1)
    answer(
        vn,
        cast,
        clients["sol"],
        check,
        "private",
        "no",
        "Thin walls.",
        stamp_of(stored(vn, check, "private")),
        **HTMX,
    )
    before = vn.state()

    url = vn.url("submit", cast.group_a.slug, check.uuid)
    refused = clients["fay"].post(url, {"seen": seen})

    assert refused.status_code == 302 and refused["Location"] == url
    [message] = vn.messages_of(refused)
    assert "Answers were given or changed since you opened this page" in message
    assert vn.state() == before
    again = vn.html(clients["fay"].get(url))
    fresh = re.search(r'name="seen" value="([^"]*)"', again).group(1)
    assert clients["fay"].post(url, {"seen": fresh}).status_code == 302
    check.refresh_from_db()
    assert check.submitted_at is not None and check.critical_flag is True
