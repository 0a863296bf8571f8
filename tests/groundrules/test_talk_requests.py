"""Every "I'd like to talk" is heard: about one rule or the whole version, it reaches the
facilitators (their home page and an email), is marked talked about with a note, must be
answered before adoption, and pages say truthfully how the rules were adopted."""

import re

import pytest
from django.urls import reverse

from groundrules import services
from groundrules.models import Agreement, TalkRequest, Version
from groups.models import Membership
from tests.builders import add_member, make_user, round_seen


def html_of(response):
    return response.content.decode()


@pytest.fixture
def round_(cast, gr):
    """Version 2 of group A's rules is with the group; Sam is a third member."""
    gr.adopt(cast.group_a, cast.facilitator, ["Listen."], agreeing=[cast.facilitator, cast.peer])
    sam = make_user("Sam Sharer", "sam@a.test")
    add_member(cast.group_a, sam)
    version = gr.put_to_group(cast.group_a, cast.facilitator, ["Listen.", "Phones away."])
    return version, list(version.rules.order_by("position")), sam


def answer_data(version, **extra):
    return {
        "answer": "talk",
        "comment": "",
        "visibility": "facilitators",
        "content_hash": version.content_hash,
        **extra,
    }


def test_a_talk_about_one_rule_reaches_the_facilitators(
    cast, client_for, gr, round_, mailoutbox, django_capture_on_commit_callbacks
):
    version, (listen, phones), sam = round_
    second = make_user("Second Facilitator", "second@a.test")
    add_member(cast.group_a, second, Membership.Role.FACILITATOR)
    page = html_of(client_for(cast.peer).get(gr.url("answer", cast.group_a, version.number)))
    assert re.findall(r'<option value="(\d*)"', page) == ["", str(listen.pk), str(phones.pk)]
    assert "Rule 2: Phones away." in page and "The rules as a whole" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(cast.peer).post(
            gr.url("answer", cast.group_a, version.number),
            answer_data(
                version, about=phones.pk, comment="Carers need phones on.", visibility="group"
            ),
        )
    assert response.status_code == 302
    talk = TalkRequest.objects.get()
    assert (talk.version, talk.rule, talk.member, talk.comment, talk.visibility, talk.is_open) == (
        version,
        phones,
        cast.peer,
        "Carers need phones on.",
        "group",
        True,
    )
    assert Agreement.objects.get(version=version, user=cast.peer).answer == "talk"
    # Each facilitator is told, one email each, naming neither the group nor the person.
    assert sorted(m.to[0] for m in mailoutbox) == [cast.facilitator.email, second.email]
    tracker = "http://testserver" + gr.url("tracker", cast.group_a, version.number)
    for message in mailoutbox:
        assert tracker in message.body
        assert cast.group_a.name not in message.subject + message.body
        assert cast.peer.display_name not in message.subject + message.body

    home = html_of(client_for(cast.facilitator).get(reverse("home")))
    assert (
        f'<a href="{gr.url("tracker", cast.group_a, version.number)}">1 request to talk about '
        "version 2 of the ground rules is waiting</a>"
    ) in home
    peer_home = html_of(client_for(cast.peer).get(reverse("home")))
    assert "request to talk" not in peer_home

    tracker_page = html_of(
        client_for(cast.facilitator).get(gr.url("tracker", cast.group_a, version.number))
    )
    assert "Pat Peer · about the rule “Phones away.” · <strong>Waiting" in tracker_page


def test_a_facilitator_asking_to_talk_is_not_emailed_about_it(
    cast, client_for, gr, round_, mailoutbox, django_capture_on_commit_callbacks
):
    version, _rules, _sam = round_
    with django_capture_on_commit_callbacks(execute=True):
        client_for(cast.facilitator).post(
            gr.url("answer", cast.group_a, version.number), answer_data(version, comment="Hmm.")
        )
    assert TalkRequest.objects.get().rule is None
    assert mailoutbox == []


def test_a_rule_of_another_version_cannot_be_talked_about(cast, client_for, gr, round_):
    version, _rules, _sam = round_
    old = Version.objects.get(group=cast.group_a, number=1).rules.get()
    before = gr.state()
    response = client_for(cast.peer).post(
        gr.url("answer", cast.group_a, version.number),
        answer_data(version, about=old.pk, comment="This one."),
    )
    assert "Select a valid choice" in html_of(response)
    assert gr.state() == before
    with pytest.raises(services.RulesError):
        services.record_agreement(
            version=version,
            user=cast.peer,
            answer="talk",
            comment="x",
            visibility="group",
            seen_hash=version.content_hash,
            about=old,
        )


def test_talking_about_more_than_one_rule_and_then_agreeing(cast, gr, round_):
    version, (listen, phones), _sam = round_
    gr_answer = gr.answer
    for rule, comment in [(listen, "Listen how?"), (phones, "Phones?"), (phones, "Phones, again.")]:
        services.record_agreement(
            version=version,
            user=cast.peer,
            answer="talk",
            comment=comment,
            visibility="facilitators",
            seen_hash=version.content_hash,
            about=rule,
        )
    assert sorted(TalkRequest.objects.values_list("rule__text", "comment")) == [
        ("Listen.", "Listen how?"),
        ("Phones away.", "Phones, again."),
    ]
    services.mark_talked_about(
        request=TalkRequest.objects.get(rule=listen), by=cast.facilitator, note="Explained."
    )
    # "I agree" withdraws what is still waiting; what was talked about stays on record.
    gr_answer(version, cast.peer)
    assert list(TalkRequest.objects.values_list("rule__text", "note")) == [
        ("Listen.", "Explained.")
    ]


def test_marking_talked_about_needs_a_note_and_a_facilitator(
    cast, client_for, gr, round_, mailoutbox
):
    version, (listen, _phones), sam = round_
    gr.answer(version, sam, "talk", "PRIVATE worry.", "facilitators")
    talk = TalkRequest.objects.get()
    url = gr.url("talked_about", cast.group_a, version.number, talk.uuid)
    field = f"talk-{talk.uuid}-note"
    before = gr.state()
    for user in (cast.peer, cast.coordinator):
        assert client_for(user).post(url, {field: "Done."}).status_code == 403
    response = client_for(cast.facilitator).post(url, {field: "  "}, follow=True)
    assert "Write a short note of what came of it" in html_of(response)
    assert gr.state() == before

    # Peers see neither the private comment nor who asked; the coordinator sees who asked.
    assert "PRIVATE" not in html_of(
        client_for(cast.peer).get(gr.url("tracker", cast.group_a, version.number))
    )
    coordinator = html_of(
        client_for(cast.coordinator).get(gr.url("tracker", cast.group_a, version.number))
    )
    assert "PRIVATE" not in coordinator and "A comment for the group's facilitators." in coordinator

    response = client_for(cast.facilitator).post(url, {field: "We talked after the meeting."})
    assert response["Location"] == gr.url("tracker", cast.group_a, version.number)
    talk.refresh_from_db()
    assert (talk.is_open, talk.talked_about_by, talk.note) == (
        False,
        cast.facilitator,
        "We talked after the meeting.",
    )
    gr.answer(Version.objects.get(group=cast.group_a, number=1), sam)  # past the newcomer gate
    page = html_of(client_for(sam).get(gr.url("tracker", cast.group_a, version.number)))
    assert "Talked about on" in page and "We talked after the meeting." in page
    again = client_for(cast.facilitator).post(url, {field: "Twice."}, follow=True)
    assert "This has already been marked as talked about." in html_of(again)


def test_adopting_names_each_open_talk_and_the_pages_say_how_it_was_agreed(
    cast, client_for, gr, round_
):
    version, (listen, phones), sam = round_
    group = cast.group_a
    gr.answer(version, cast.facilitator)
    services.record_agreement(
        version=version,
        user=sam,
        answer="talk",
        comment="Carers need phones on.",
        visibility="group",
        seen_hash=version.content_hash,
        about=phones,
    )
    talk = TalkRequest.objects.get()
    client = client_for(cast.facilitator)
    tracker = html_of(client.get(gr.url("tracker", group, version.number)))
    closing = tracker[tracker.index('id="manage-heading"') :]
    assert "About the rule “Phones away.”: Carers need phones on." in closing
    assert "What came of Sam Sharer&#x27;s request?" in closing
    assert "Not agreed yet: Pat Peer (no answer), Sam Sharer (would like to talk)." in closing

    before = gr.state()
    response = client.post(
        gr.url("adopt", group, version.number), {"outcome": "Agreed.", "seen": round_seen(version)}
    )
    assert response["Location"] == gr.url("tracker", group, version.number)
    assert gr.state() == before

    response = client.post(
        gr.url("adopt", group, version.number),
        {
            "outcome": "Carers keep phones on silent.",
            f"note_{talk.uuid}": "Carers may.",
            "seen": round_seen(version),
        },
    )
    assert response["Location"] == gr.url("home", group)
    version.refresh_from_db()
    talk.refresh_from_db()
    assert (version.status, version.agreed_when_adopted, version.members_when_adopted) == (
        Version.Status.ADOPTED,
        1,
        3,
    )
    assert (talk.is_open, talk.note, talk.talked_about_by) == (
        False,
        "Carers may.",
        cast.facilitator,
    )

    date = f"{version.closed_at:%-d %B %Y}"
    truth = f"Adopted by the facilitators after discussion on {date}: agreed by 1 of 3 members."
    for name in ("home", "print", "handout"):
        page = html_of(client.get(gr.url(name, group)))
        assert truth in page, name
        assert "Agreed by all" not in page
    assert truth in html_of(client.get(gr.url("version", group, version.number)))
    assert truth in html_of(client.get(gr.url("versions", group)))
    # The version before was agreed by everyone.
    first = html_of(client.get(gr.url("version", group, 1)))
    assert re.search(r"Agreed by all 2 members on \d+ \w+ \d{4}\.", first)


def test_a_version_everyone_agreed_says_so(cast, client_for, gr):
    version = gr.adopt(
        cast.group_a, cast.facilitator, ["Listen."], agreeing=[cast.facilitator, cast.peer]
    )
    assert (version.agreed_when_adopted, version.members_when_adopted) == (2, 2)
    page = html_of(client_for(cast.peer).get(gr.url("print", cast.group_a)))
    assert f"Agreed by all 2 members on {version.closed_at:%-d %B %Y}." in page
