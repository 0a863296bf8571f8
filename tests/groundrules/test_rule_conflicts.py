"""Two people editing the same rule of a draft: the later save is refused, and shown.

Each person loads the edit page (its form carries the rule's stamp), then saves. The
second save finds the rule changed and gets the conflict page: field by field what
they typed and what is there now, who changed it and when, and the form again with
their words, ready to keep or merge. Taking a rule out that changed since the question
was shown is refused with a message.
"""

import re

import pytest
from django.test import Client

from groundrules.models import Category, Rule, Rulebook
from groups.conflicts import stamp_of
from groups.models import Membership
from tests.builders import add_member, fields, make_user
from tests.pages import base_of, html, messages_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(cast, gr):
    """The cast's facilitator and a second one, each signed in; a draft with one rule."""
    second = make_user("Sol Second")
    add_member(cast.group_a, second, Membership.Role.FACILITATOR)
    version = gr.draft(cast.group_a, cast.facilitator, ["Phones on silent."])
    rule = version.rules.get()
    clients = {}
    for name, person in (("fay", cast.facilitator), ("sol", second)):
        clients[name] = Client()
        clients[name].force_login(person)
    return cast.group_a, rule, clients, second


def edit(gr, group, rule, client, base, text, why=""):
    return client.post(
        gr.url("rule_edit", group, rule.uuid),
        {**fields(text, Category.PHONES, why=why), "base": base},
    )


def test_the_later_save_gets_the_conflict_page_and_loses_nothing(gr, two):
    group, rule, clients, sol = two
    url = gr.url("rule_edit", group, rule.uuid)
    fay_base = base_of(clients["fay"].get(url))
    sol_base = base_of(clients["sol"].get(url))
    assert fay_base == sol_base == stamp_of(rule)

    first = edit(gr, group, rule, clients["sol"], sol_base, "Phones off in the room.")
    assert first.status_code == 302
    second = edit(gr, group, rule, clients["fay"], fay_base, "Phones face down.", why="Focus.")

    assert second.status_code == 409
    page = html(second)
    rule.refresh_from_db()
    assert (rule.text, rule.why, rule.changed_by) == ("Phones off in the room.", "", sol)
    assert "Someone else changed this while you were editing" in page
    assert "Sol Second changed it on" in page
    # Field by field: the rule's words and the reason differ; the category does not.
    assert page.count('class="conflict-field"') == 2
    assert "Phones off in the room." in page and "Phones face down." in page
    assert "(left empty)" in page  # the reason as it is now
    # The form holds what Fay typed, starting from the rule as it is now.
    assert base_of(second) == stamp_of(rule)
    assert "Phones face down.</textarea>" in page and "Focus.</textarea>" in page

    # Keep mine: the form sent again as it is.
    kept = edit(gr, group, rule, clients["fay"], base_of(second), "Phones face down.", "Focus.")
    assert kept.status_code == 302
    rule.refresh_from_db()
    assert (rule.text, rule.why) == ("Phones face down.", "Focus.")


def test_a_merge_is_saved_and_an_old_base_stays_refused(gr, two):
    group, rule, clients, _sol = two
    base = stamp_of(rule)
    assert edit(gr, group, rule, clients["sol"], base, "Phones off.").status_code == 302
    refused = edit(gr, group, rule, clients["fay"], base, "Phones away.")
    assert refused.status_code == 409
    merged = edit(gr, group, rule, clients["fay"], base_of(refused), "Phones off and away.")
    assert merged.status_code == 302
    # Sol, still on the old page, is now the one told.
    again = edit(gr, group, rule, clients["sol"], base, "Phones off!")
    assert again.status_code == 409
    assert "Fay Facilitator changed it on" in html(again)
    rule.refresh_from_db()
    assert rule.text == "Phones off and away."


def test_the_same_words_from_both_are_no_conflict(gr, two):
    group, rule, clients, _sol = two
    base = stamp_of(rule)
    assert edit(gr, group, rule, clients["sol"], base, "Phones off.").status_code == 302
    assert edit(gr, group, rule, clients["fay"], base, "Phones off.").status_code == 302


@pytest.mark.parametrize("base", ["", "not a stamp", "2001-01-01T00:00:00+00:00"])
def test_a_missing_or_odd_base_saves_nothing(gr, two, base):
    group, rule, clients, _sol = two
    before = gr.state()
    response = edit(gr, group, rule, clients["fay"], base, "Phones away.")
    assert response.status_code in (200, 409)
    assert gr.state() == before
    assert "Phones away." in html(response)


def test_taking_out_a_rule_changed_since_the_question_is_refused(gr, two):
    group, rule, clients, _sol = two
    url = gr.url("rule_delete", group, rule.uuid)
    base = base_of(clients["fay"].get(url))
    assert edit(gr, group, rule, clients["sol"], base, "Phones off.").status_code == 302

    refused = clients["fay"].post(url, {"base": base})
    assert refused.status_code == 302 and refused["Location"] == url
    assert Rule.objects.filter(pk=rule.pk).exists()
    shown = clients["fay"].get(url)
    assert any("changed since you opened the page" in m for m in messages_of(refused))
    assert "Phones off." in html(shown)

    taken = clients["fay"].post(url, {"base": base_of(shown)})
    assert taken.status_code == 302 and taken["Location"] == gr.url("draft", group)
    assert not Rule.objects.filter(pk=rule.pk).exists()


def getting_started(base, **answers):
    return {
        "want_rules": "yes",
        "upheld_by": "facilitators",
        "suggestions_from": "everyone",
        "review_every_months": "6",
        "base": base,
        **answers,
    }


def test_the_group_s_answers_saved_over_newer_ones_get_the_conflict_page(gr, two):
    group, _rule, clients, _sol = two
    url = gr.url("start", group)
    fay_base = base_of(clients["fay"].get(url))
    sol_base = base_of(clients["sol"].get(url))
    first = clients["sol"].post(url, getting_started(sol_base, how_shared="Read out each week."))
    assert first.status_code == 302

    refused = clients["fay"].post(url, getting_started(fay_base, how_shared="On the wall."))

    assert refused.status_code == 409
    page = html(refused)
    assert "Sol Second changed it on" in page
    assert "Read out each week." in page and "On the wall.</textarea>" in page
    assert Rulebook.objects.get(group=group).how_shared == "Read out each week."


def test_how_often_rules_are_reviewed_saved_over_a_newer_choice_is_refused(gr, two):
    group, _rule, clients, _sol = two
    url = gr.url("reviews", group)
    base = base_of(clients["fay"].get(url))
    assert clients["sol"].post(url, {"review_every_months": "3", "base": base}).status_code == 302
    refused = clients["fay"].post(url, {"review_every_months": "12", "base": base})
    assert refused.status_code == 409
    assert "3 months" in html(refused) and "12 months" in html(refused)
    assert Rulebook.objects.get(group=group).review_every_months == 3
    again = clients["fay"].post(url, {"review_every_months": "12", "base": base_of(refused)})
    assert again.status_code == 302
    assert Rulebook.objects.get(group=group).review_every_months == 12


@pytest.mark.parametrize("action", ["adopt", "withdraw"])
def test_adopting_or_withdrawing_after_an_answer_changed_is_refused_and_keeps_the_words(
    gr, cast, action
):
    group = cast.group_a
    version = gr.put_to_group(group, cast.facilitator, ["Listen."])
    fay = Client()
    fay.force_login(cast.facilitator)
    tracker = html(fay.get(gr.url("tracker", group, version.number)))
    seen = re.search(r'name="seen" value="([^"]*)"', tracker).group(1)
    gr.answer(version, cast.peer, answer="talk", comment="Can we talk about phones?")
    before = gr.state()

    refused = fay.post(
        gr.url(action, group, version.number), {"outcome": "We talked it over.", "seen": seen}
    )

    assert refused.status_code == 409
    assert gr.state() == before
    page = html(refused)
    assert "Members’ answers or requests to talk have changed since you opened this page" in page
    assert "We talked it over.</textarea>" in page
    fresh = re.search(r'name="seen" value="([^"]*)"', page).group(1)
    assert fresh != seen
    done = fay.post(
        gr.url(action, group, version.number),
        {"outcome": "We talked it over.", "seen": fresh, **talk_notes(version)},
    )
    assert done.status_code == 302
    version.refresh_from_db()
    assert version.status == ("adopted" if action == "adopt" else "withdrawn")


def talk_notes(version):
    return {f"note_{t.uuid}": "Talked." for t in version.talk_requests.all()}
