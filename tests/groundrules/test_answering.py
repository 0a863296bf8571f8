"""Agreeing again without re-reading everything: the answer page leads with what changed
since the version this member last agreed to, and takes answers rule by rule or all at
once."""

import re

import pytest

from groundrules import services
from groundrules.models import Agreement, Category, TalkRequest, Version
from groups.models import GroupSummary
from tests.builders import add_member, make_user


def html_of(response):
    return response.content.decode()


@pytest.fixture
def second(cast, gr):
    """Version 1 agreed by both members; version 2 with the group: "Phones away." reworded
    and given a response, "Stay kind." removed, "Take breaks." added."""
    first = gr.adopt(
        cast.group_a,
        cast.facilitator,
        ["Listen.", "Phones away.", "Stay kind."],
        agreeing=[cast.facilitator, cast.peer],
    )
    draft = gr.draft(cast.group_a, cast.facilitator)
    listen, phones, kind = draft.rules.order_by("position")
    services.update_rule(
        rule=phones, fields={"text": "Phones on silent.", "if_broken": "A quiet word."}
    )
    services.delete_rule(rule=kind)
    services.add_rule(version=draft, fields=gr.fields("Take breaks.", Category.TIME_OUT))
    version = services.open_round(version=draft, by=cast.facilitator, link=gr.LINK)
    return first, version


def test_the_answer_page_leads_with_what_changed_since_the_version_agreed(
    cast, client_for, gr, second
):
    first, version = second
    page = html_of(client_for(cast.peer).get(gr.url("answer", cast.group_a, version.number)))
    agreed_on = Agreement.objects.get(version=first, user=cast.peer).updated
    heading = f"What has changed since version 1, which you agreed to on {agreed_on:%-d %B %Y}"
    assert heading in page
    changes = page[page.index(heading) : page.index('<details class="whole-version')]
    assert re.findall(r'<li class="diff-(\w+)">', changes) == ["changed", "added", "removed"]
    assert "The rule: changed" in changes and "If it is broken: changed" in changes
    assert "<ins>Take breaks.</ins>" in changes and "<del>Stay kind.</del>" in changes
    assert "Listen." not in changes  # unchanged: not in the way
    assert "The other rule is as you agreed it." in changes
    # The whole version is still there to read, after the changes.
    whole = page[page.index('<details class="whole-version') : page.index('id="answer-heading"')]
    assert all(text in whole for text in ("Listen.", "Phones on silent.", "Take breaks."))


def test_someone_who_never_agreed_reads_the_whole_version(cast, client_for, gr, second):
    _first, version = second
    newcomer = make_user("Nia Newcomer")
    add_member(cast.group_a, newcomer)
    gr.answer(Version.objects.get(group=cast.group_a, number=1), newcomer, "talk", "Hmm.")
    page = html_of(client_for(newcomer).get(gr.url("answer", cast.group_a, version.number)))
    assert "What has changed since" not in page
    assert "These are the rules the group keeps to." in page
    assert '<details class="whole-version' not in page


def by_rule(version, answers, visibility="facilitators"):
    data = {"visibility": visibility, "content_hash": version.content_hash}
    for rule, (answer, comment) in zip(version.rules.order_by("position"), answers, strict=True):
        data[f"rule_{rule.pk}"] = answer
        data[f"rule_{rule.pk}_comment"] = comment
    return data


def test_answering_rule_by_rule(
    cast, client_for, gr, second, mailoutbox, django_capture_on_commit_callbacks
):
    _first, version = second
    listen, phones, breaks = version.rules.order_by("position")
    client = client_for(cast.peer)
    url = gr.url("answer", cast.group_a, version.number) + "?by=rule"
    page = html_of(client.get(url))
    assert "Rule 1: Listen." in page
    assert "Rule 2 (changed): Phones on silent." in page
    assert "Rule 3 (new): Take breaks." in page
    assert page.count("I&#x27;d like to talk about this rule") == 3
    assert 'action="' + url + '"' in page

    before = gr.state()
    response = client.post(url, by_rule(version, [("agree", ""), ("talk", " "), ("agree", "")]))
    assert "Please say what you would like to talk about in rule 2." in html_of(response)
    assert gr.state() == before

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            by_rule(
                version,
                [("agree", ""), ("talk", "Silent is fine, off is not."), ("talk", "How long?")],
            ),
        )
    assert response["Location"] == gr.url("home", cast.group_a)
    agreement = Agreement.objects.get(version=version, user=cast.peer)
    assert agreement.answer == "talk"
    assert sorted(TalkRequest.objects.values_list("rule__text", "comment")) == [
        ("Phones on silent.", "Silent is fine, off is not."),
        ("Take breaks.", "How long?"),
    ]
    assert [m.to for m in mailoutbox] == [[cast.facilitator.email]]  # one email for both

    # Coming back, the form remembers; agreeing to rule 3 now withdraws that request.
    page = html_of(client.get(url))
    assert "Silent is fine, off is not." in page
    client.post(
        url,
        by_rule(version, [("agree", ""), ("talk", "Silent is fine, off is not."), ("agree", "")]),
    )
    assert list(TalkRequest.objects.values_list("rule__text", flat=True)) == ["Phones on silent."]
    client.post(url, by_rule(version, [("agree", "")] * 3))
    assert Agreement.objects.get(version=version, user=cast.peer).answer == "agree"
    assert not TalkRequest.objects.exists()
    assert len(mailoutbox) == 1


def test_a_rule_by_rule_answer_must_cover_the_words_that_were_read(cast, client_for, gr, second):
    _first, version = second
    client = client_for(cast.peer)
    url = gr.url("answer", cast.group_a, version.number) + "?by=rule"
    data = by_rule(version, [("agree", "")] * 3)
    data["content_hash"] = "0" * 64
    before = gr.state()
    response = client.post(url, data, follow=True)
    assert "The rules changed while you were reading them." in html_of(response)
    assert response.redirect_chain[-1][0] == url
    assert gr.state() == before
    with pytest.raises(services.RulesError):
        services.record_rule_answers(
            version=version,
            user=cast.peer,
            answers={version.rules.first(): ("agree", "")},
            visibility="group",
            seen_hash=version.content_hash,
        )


def test_the_same_answer_again_changes_nothing_not_even_its_date(
    cast, gr, second, django_assert_max_num_queries
):
    """Pressing "I agree" twice leaves the first answer as it was: its date (which the
    tracker shows, and a facilitator's adoption checks against) and the group's summary."""
    _first, version = second

    def answer(value, comment=""):
        return services.record_agreement(
            version=version,
            user=cast.peer,
            answer=value,
            comment=comment,
            visibility="facilitators",
            seen_hash=version.content_hash,
        )

    answer("agree")
    answered = Agreement.objects.get(version=version, user=cast.peer).updated
    summary = GroupSummary.objects.get(group=cast.group_a)
    assert summary.round_agreed == 1
    # Lock, membership, the answer, and withdrawing open talk requests (none): no write to the
    # answer, no summary worked out again.
    with django_assert_max_num_queries(6):
        answer("agree")
    assert Agreement.objects.get(version=version, user=cast.peer).updated == answered
    assert GroupSummary.objects.get(group=cast.group_a).updated == summary.updated

    answer("talk", "Phones matter to carers.")
    changed = Agreement.objects.get(version=version, user=cast.peer)
    assert (changed.answer, changed.comment) == ("talk", "Phones matter to carers.")
    assert changed.updated > answered
    assert GroupSummary.objects.get(group=cast.group_a).round_agreed == 0
