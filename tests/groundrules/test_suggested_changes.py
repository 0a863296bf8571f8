"""A suggestion may change any part of a rule; accepting it changes exactly those parts,
and the suggestion, draft and compare pages show each changed part."""

import re
from html import unescape

import pytest

from groundrules import services
from groundrules.models import RULE_PARTS, Category, Proposal, Rule, Version


def html_of(response):
    return response.content.decode()


PHONES = (
    "Phones on silent.",
    Category.PHONES,
    "So nobody is\ninterrupted.",
    "A quiet word from a facilitator.",
)


@pytest.fixture
def phones(cast, gr):
    """Group A's current rules: a phones rule with every part, and one more."""
    version = gr.adopt(
        cast.group_a,
        cast.facilitator,
        [PHONES, ("Listen.", Category.RESPECT)],
        agreeing=[cast.facilitator, cast.peer],
    )
    return version.rules.get(text="Phones on silent.")


def form_values(page):
    """What a suggestion form holds: textareas, the chosen radio buttons, hidden fields."""
    values = {}
    for name, text in re.findall(r'<textarea name="(\w+)"[^>]*>(.*?)</textarea>', page, re.S):
        values[name] = unescape(text).strip("\n")
    for tag in re.findall(r"<input [^>]*>", page):
        name = re.search(r'name="(\w+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name and value and ("checked" in tag or 'type="hidden"' in tag):
            values[name.group(1)] = unescape(value.group(1))
    for name, body in re.findall(r'<select name="(\w+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', body)
        values[name] = chosen.group(1) if chosen else ""
    values.pop("csrfmiddlewaretoken", None)
    return values


def test_a_change_to_one_part_keeps_every_other_part_word_for_word(
    cast, client_for, gr, phones, mailoutbox
):
    group = cast.group_a
    peer = client_for(cast.peer)
    home = html_of(peer.get(gr.url("home", group)))
    link = f"{gr.url('proposal_new', group)}?rule={phones.lineage}"
    assert link in home and 'Suggest a change<span class="visually-hidden"> to rule 1' in home

    # The form comes filled with the whole rule as it reads now.
    page = html_of(peer.get(link))
    assert "The rule as it reads now" in page
    values = form_values(page)
    assert (values["kind"], values["target"]) == ("change", str(phones.pk))
    assert {part: values[f"shown_{part}"] for part in RULE_PARTS} == phones.content()
    assert (values["text"], values["why"], values["category"], values["if_broken"]) == (
        "Phones on silent.",
        "So nobody is\ninterrupted.",
        Category.PHONES,
        "A quiet word from a facilitator.",
    )

    # Only "if it is broken" is changed; the browser sends line breaks as CR LF.
    values.update(
        why="So nobody is\r\ninterrupted.",
        if_broken="A gentle reminder, then a quiet word.",
        reason="A quiet word feels like too much at first.",
    )
    response = peer.post(gr.url("proposal_new", group), values)
    proposal = Proposal.objects.get()
    assert response["Location"] == gr.url("proposal", group, proposal.uuid)
    assert proposal.changed_parts() == ["if_broken"]
    assert proposal.before() == phones.content()

    detail = html_of(peer.get(gr.url("proposal", group, proposal.uuid)))
    assert "The rule as it was when this was suggested" in detail
    assert "If it is broken: changed" in detail
    assert "The rule: changed" not in detail and "Why we have it: changed" not in detail

    # Meanwhile the facilitators reword the rule's "why" in the draft.
    draft = gr.draft(group, cast.facilitator)
    in_draft = draft.rules.get(lineage=phones.lineage)
    services.update_rule(rule=in_draft, fields={"why": "Calls pull us out of the room."})

    client_for(cast.facilitator).post(
        gr.url("proposal_decide", group, proposal.uuid), {"decision": "accept"}
    )
    in_draft.refresh_from_db()
    assert in_draft.content() == {
        "text": "Phones on silent.",
        "why": "Calls pull us out of the room.",
        "category": Category.PHONES,
        "if_broken": "A gentle reminder, then a quiet word.",
    }
    assert draft.rules.count() == 2


def test_choosing_change_first_shows_the_rule_and_keeps_what_was_typed(
    cast, client_for, gr, phones
):
    group = cast.group_a
    peer = client_for(cast.peer)
    before = gr.state()
    response = peer.post(
        gr.url("proposal_new", group),
        {"kind": "change", "target": phones.pk, "text": "Phones off.", "reason": "Calmer."},
    )
    page = html_of(response)
    assert response.status_code == 200 and gr.state() == before
    assert "The rule as it reads now" in page
    assert "change only the parts you want to change" in page
    values = form_values(page)
    assert (values["text"], values["why"], values["category"], values["if_broken"]) == (
        "Phones off.",
        "So nobody is\ninterrupted.",
        Category.PHONES,
        "A quiet word from a facilitator.",
    )
    assert values["reason"] == "Calmer." and values["shown_text"] == "Phones on silent."

    values["category"] = Category.RESPECT
    assert peer.post(gr.url("proposal_new", group), values).status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.changed_parts() == ["text", "category"]
    detail = html_of(peer.get(gr.url("proposal", group, proposal.uuid)))
    assert re.search(
        r"Category: changed</dt>\s*<dd[^>]*><del><span class=\"visually-hidden\">\[removed:\] "
        r"</span>Phones</del> <ins><span class=\"visually-hidden\">\[added:\] </span>Respect</ins>",
        detail,
    )


def test_a_change_that_changes_nothing_is_refused(cast, client_for, gr, phones):
    peer = client_for(cast.peer)
    values = form_values(
        html_of(peer.get(f"{gr.url('proposal_new', cast.group_a)}?rule=" + str(phones.lineage)))
    )
    values["reason"] = "Just because."
    before = gr.state()
    response = peer.post(gr.url("proposal_new", cast.group_a), values)
    assert "Nothing would change: change at least one part of the rule." in html_of(response)
    assert gr.state() == before
    with pytest.raises(services.RulesError):
        services.propose(
            group=cast.group_a,
            by=cast.peer,
            kind="change",
            target=phones,
            fields=phones.content(),
            reason="Same.",
        )


def test_a_rule_reworded_while_someone_writes_is_shown_again_before_anything_is_saved(
    cast, client_for, gr, phones
):
    group = cast.group_a
    draft = gr.draft(group, cast.facilitator)
    in_draft = draft.rules.get(lineage=phones.lineage)
    peer = client_for(cast.peer)
    values = form_values(
        html_of(peer.get(f"{gr.url('proposal_new', group)}?rule={phones.lineage}"))
    )
    assert values["target"] == str(in_draft.pk)  # suggestions are about the newest words
    services.update_rule(rule=in_draft, fields={"if_broken": "A reminder at the break."})

    values.update(text="Phones away.", reason="Tidier.")
    before = gr.state()
    page = html_of(peer.post(gr.url("proposal_new", group), values))
    assert gr.state() == before
    assert "This rule was changed in the draft while you were writing." in page
    again = form_values(page)
    assert again["text"] == "Phones away." and again["if_broken"] == "A reminder at the break."
    peer.post(gr.url("proposal_new", group), again)
    assert Proposal.objects.get().changed_parts() == ["text"]


def test_a_suggestion_from_before_parts_were_kept_stands_for_the_whole_rule(cast, phones):
    proposal = Proposal(
        group=cast.group_a, kind="change", target_lineage=phones.lineage, text="New."
    )
    assert proposal.changed_parts() == ["text", "why", "category", "if_broken"]
    assert Proposal(kind="add").changed_parts() == []


def test_draft_and_compare_show_each_changed_part(cast, client_for, gr, phones):
    group = cast.group_a
    draft = gr.draft(group, cast.facilitator)
    in_draft = draft.rules.get(lineage=phones.lineage)
    services.update_rule(
        rule=in_draft,
        fields={
            "why": "So nobody is interrupted mid-share.",
            "category": "respect",
            "if_broken": "",
        },
    )
    services.add_rule(version=draft, fields=gr.fields("Tea at the break.", why="Warmth."))
    client = client_for(cast.peer)
    for page in (
        html_of(client.get(gr.url("draft", group))),
        html_of(client.get(gr.url("compare", group), {"older": 1, "newer": 2})),
    ):
        changed = re.search(r'<li class="diff-changed">(.*?)</li>', page, re.S).group(1)
        assert '<p class="rule-text">Phones on silent.</p>' in changed
        assert "The rule: changed" not in changed
        assert re.search(
            r"Why we have it: changed</dt>\s*<dd[^>]*>So nobody is"
            r" <del><span class=\"visually-hidden\">\[removed:\] </span>interrupted\.</del>"
            r" <ins><span class=\"visually-hidden\">\[added:\] </span>"
            r"interrupted mid-share\.</ins>",
            changed,
        ), changed
        assert "Category: changed" in changed and ">Respect</ins>" in changed
        assert re.search(
            r"If it is broken: changed \(taken out\)</dt>\s*<dd[^>]*><del>"
            r"<span class=\"visually-hidden\">\[removed:\] </span>"
            r"A quiet word from a facilitator\.",
            changed,
        )
        added = re.search(r'<li class="diff-added">(.*?)</li>', page, re.S).group(1)
        assert "<ins>Tea at the break.</ins>" in added and "Warmth." in added


def test_only_rules_of_this_group_can_be_asked_for_by_address(cast, client_for, gr, phones):
    other = gr.adopt(cast.group_b, cast.other_peer, ["Group B rule."]).rules.get()
    peer = client_for(cast.peer)
    for value in (str(other.lineage), "not-a-uuid", "x" * 5000):
        page = html_of(peer.get(gr.url("proposal_new", cast.group_a), {"rule": value}))
        assert "The rule as it reads now" not in page and "Group B rule." not in page
    assert not Rule.objects.filter(version__group=cast.group_a, version__status="draft").exists()
    assert Version.objects.filter(group=cast.group_a).count() == 1
