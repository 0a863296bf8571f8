"""Ground rules through the test client: what people do, what they see, what is refused.

The service-level rules (hashing, supersession, withdraw…) are in test_services.py;
here each journey goes through the URLs, and every refusal is checked against a
snapshot of the database (`gr.state()`) and the outbox.
"""

import re
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from groundrules import services
from groundrules.models import (
    Agreement,
    Category,
    Proposal,
    ProposalComment,
    Rule,
    Rulebook,
    TalkRequest,
    Version,
    hash_rules,
)
from groundrules.starters import STARTERS_BY_KEY
from groundrules.urls import urlpatterns
from groups.conflicts import stamp_of
from groups.models import Group
from tests.builders import add_member, make_user, round_seen

EVIL = "<script>alert(1)</script>"
EVIL_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def html_of(response):
    return response.content.decode()


def assert_private_subjects(messages, group):
    assert messages
    for message in messages:
        assert group.name not in message.subject
        assert group.name not in message.body
        assert len(message.to) == 1  # one email per person: nobody sees another address


def ordered_texts(version):
    return list(version.rules.order_by("position", "id").values_list("text", flat=True))


# Proposals ---------------------------------------------------------------------------


def test_peer_proposes_facilitator_accepts_into_the_draft_and_the_proposer_is_told(
    cast, client_for, gr, mailoutbox, django_capture_on_commit_callbacks
):
    group = cast.group_a
    client = client_for(cast.peer)
    response = client.post(
        gr.url("proposal_new", group),
        {
            "kind": "add",
            "text": "Take a break whenever you need.",
            "why": "It helps.",
            "category": Category.TIME_OUT,
            "if_broken": "Nothing: it protects choice.",
            "reason": "I sometimes need air.",
        },
    )
    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == gr.url("proposal", group, proposal.uuid)
    assert (proposal.group, proposal.proposed_by, proposal.kind, proposal.status) == (
        group,
        cast.peer,
        Proposal.Kind.ADD,
        Proposal.Status.OPEN,
    )
    assert not Version.objects.exists()  # a suggestion is not a change yet

    listing = html_of(client.get(gr.url("proposals", group)))
    assert "Add a rule: Take a break whenever you need." in listing
    assert "Suggested by Pat Peer" in listing

    client = client_for(cast.facilitator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            gr.url("proposal_decide", group, proposal.uuid), {"decision": "accept"}
        )
    assert response.status_code == 302
    assert response["Location"] == gr.url("proposal", group, proposal.uuid)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.ACCEPTED
    assert proposal.decided_by == cast.facilitator and proposal.decided_at is not None
    draft = Version.objects.get(group=group)
    assert draft.status == Version.Status.DRAFT
    assert list(draft.rules.values_list("text", "why", "category", "if_broken")) == [
        (
            "Take a break whenever you need.",
            "It helps.",
            Category.TIME_OUT,
            "Nothing: it protects choice.",
        )
    ]
    assert [m.to for m in mailoutbox] == [[cast.peer.email]]
    assert_private_subjects(mailoutbox, group)
    assert gr.url("proposal", group, proposal.uuid) in mailoutbox[0].body

    page = html_of(client.get(gr.url("draft", group)))
    assert re.search(
        r'<li class="diff-added">.*?<ins>Take a break whenever you need\.</ins>', page, re.S
    )
    detail = html_of(client.get(gr.url("proposal", group, proposal.uuid)))
    assert "Accepted into the draft by Fay Facilitator" in detail
    assert "Save decision" not in detail  # decided: no second decision form


def test_declining_needs_a_reason_which_the_proposer_sees(
    cast, client_for, gr, mailoutbox, django_capture_on_commit_callbacks
):
    group = cast.group_a
    proposal = services.propose(
        group=group,
        by=cast.peer,
        kind="add",
        fields=gr.fields("No hats."),
        reason="Hats distract me.",
    )
    client = client_for(cast.facilitator)
    before = gr.state()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            gr.url("proposal_decide", group, proposal.uuid),
            {"decision": "decline", "reason": "   "},
        )
    assert response.status_code == 400
    assert "Please give a reason for declining." in html_of(response)
    assert gr.state() == before
    assert mailoutbox == []

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            gr.url("proposal_decide", group, proposal.uuid),
            {"decision": "decline", "reason": "We agreed hats are fine."},
        )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.DECLINED
    assert proposal.decision_reason == "We agreed hats are fine."
    assert not Version.objects.exists()  # nothing went into a draft
    assert [m.to for m in mailoutbox] == [[cast.peer.email]]
    assert_private_subjects(mailoutbox, group)
    page = html_of(client_for(cast.peer).get(gr.url("proposal", group, proposal.uuid)))
    assert "Declined by Fay Facilitator" in page and "We agreed hats are fine." in page


def test_members_discuss_a_proposal_in_comments(cast, client_for, gr):
    group = cast.group_a
    proposal = services.propose(
        group=group,
        by=cast.peer,
        kind="add",
        fields=gr.fields("No hats."),
        reason="Hats distract me.",
    )
    url = gr.url("proposal_comment", group, proposal.uuid)
    response = client_for(cast.facilitator).post(url, {"text": "What do others think?"})
    assert response.status_code == 302
    client_for(cast.peer).post(url, {"text": "I think it matters."})

    before = gr.state()
    response = client_for(cast.peer).post(url, {"text": "  "}, follow=True)
    assert "Please write a comment of up to 2,000 characters." in html_of(response)
    response = client_for(cast.peer).post(url, {"text": "x" * 2001}, follow=True)
    assert "Please write a comment of up to 2,000 characters." in html_of(response)
    assert gr.state() == before

    assert list(
        ProposalComment.objects.order_by("created", "id").values_list("author", "text")
    ) == [(cast.facilitator.pk, "What do others think?"), (cast.peer.pk, "I think it matters.")]
    page = html_of(client_for(cast.peer).get(gr.url("proposal", group, proposal.uuid)))
    assert re.search(
        r"Fay Facilitator.*What do others think\?.*Pat Peer.*I think it matters\.", page, re.S
    )
    listing = html_of(client_for(cast.peer).get(gr.url("proposals", group)))
    assert "2 comments" in listing


def test_a_proposal_can_only_target_this_groups_rules(cast, client_for, gr):
    other_rule = gr.draft(cast.group_b, cast.other_peer, ["Group B rule."]).rules.get()
    own = gr.draft(cast.group_a, cast.facilitator, ["Listen."]).rules.get()
    client = client_for(cast.peer)
    before = gr.state()
    response = client.post(
        gr.url("proposal_new", cast.group_a),
        {
            "kind": "remove",
            "target": other_rule.pk,
            "reason": "Sneaky.",
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in html_of(response)
    assert gr.state() == before
    assert "Group B rule." not in html_of(client.get(gr.url("proposal_new", cast.group_a)))

    response = client.post(
        gr.url("proposal_new", cast.group_a),
        {
            "kind": "change",
            "target": own.pk,
            **{f"shown_{part}": value for part, value in own.content().items()},
            "text": "Listen to each other.",
            "category": Category.RESPECT,
            "reason": "Warmer.",
        },
    )
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.target_lineage == own.lineage and proposal.target_text == "Listen."


# Agreement rounds ---------------------------------------------------------------------


def test_opening_a_round_freezes_the_text(
    cast, client_for, gr, mailoutbox, django_capture_on_commit_callbacks
):
    group = cast.group_a
    draft = gr.draft(group, cast.facilitator, ["Listen.", "Phones away."])
    first = draft.rules.order_by("position").first()
    client = client_for(cast.facilitator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(gr.url("round_open", group, draft.number))
    assert response.status_code == 302
    assert response["Location"] == gr.url("tracker", group, draft.number)
    draft.refresh_from_db()
    assert draft.status == Version.Status.IN_ROUND
    assert draft.round_opened_by == cast.facilitator
    assert draft.content_hash == hash_rules(draft.rules.order_by("position", "id"))
    assert sorted(m.to[0] for m in mailoutbox) == [cast.facilitator.email, cast.peer.email]
    assert_private_subjects(mailoutbox, group)

    before = gr.state()
    rule_data = {"text": "Changed after the round opened.", "category": Category.OTHER}
    assert client.post(gr.url("rule_edit", group, first.uuid), rule_data).status_code == 404
    assert client.post(gr.url("rule_add", group), rule_data).status_code == 404
    assert client.post(gr.url("rule_delete", group, first.uuid)).status_code == 404
    assert (
        client.post(gr.url("rule_move", group, first.uuid), {"direction": "down"}).status_code
        == 404
    )
    response = client.post(gr.url("round_open", group, draft.number), follow=True)
    assert "This version can no longer be changed" in html_of(response)
    assert gr.state() == before
    assert ordered_texts(draft) == ["Listen.", "Phones away."]
    assert len(mailoutbox) == 2  # no second round, no second email
    assert "There is no draft at the moment." in html_of(client.get(gr.url("draft", group)))


def test_answering_talk_needs_a_comment_and_a_stale_hash_is_refused(cast, client_for, gr):
    group = cast.group_a
    first = gr.adopt(group, cast.facilitator, ["Listen."], agreeing=[cast.facilitator, cast.peer])
    version = gr.put_to_group(group, cast.facilitator, ["Listen.", "Phones away."])
    assert first.content_hash != version.content_hash
    url = gr.url("answer", group, version.number)
    client = client_for(cast.peer)
    page = html_of(client.get(url))
    assert "Please read version 2 of the ground rules" in page
    assert "Phones away." in page and f'value="{version.content_hash}"' in page
    before = gr.state()

    response = client.post(
        url,
        {
            "answer": "talk",
            "comment": "  ",
            "visibility": "group",
            "content_hash": version.content_hash,
        },
    )
    assert response.status_code == 200
    assert "Please say what you would like to talk about." in html_of(response)
    assert gr.state() == before

    # The member read version 1's text (an old tab): the answer cannot count for version 2.
    response = client.post(
        url,
        {"answer": "agree", "visibility": "facilitators", "content_hash": first.content_hash},
        follow=True,
    )
    assert response.redirect_chain == [(url, 302)]
    assert "The rules changed while you were reading them." in html_of(response)
    assert gr.state() == before

    response = client.post(
        url,
        {
            "answer": "talk",
            "comment": "Can phones be on for carers?",
            "visibility": "group",
            "content_hash": version.content_hash,
        },
    )
    assert response.status_code == 302 and response["Location"] == gr.url("home", group)
    saved = Agreement.objects.get(version=version)
    assert (saved.user, saved.answer, saved.comment, saved.visibility, saved.content_hash) == (
        cast.peer,
        "talk",
        "Can phones be on for carers?",
        "group",
        version.content_hash,
    )
    home = html_of(client.get(gr.url("home", group)))
    assert "Your answer: “I&#x27;d like to talk about this”" in home


@pytest.fixture
def busy_round(cast, gr):
    """Version 1 with the group: six members, some agreed, some want to talk, two waiting."""
    group = cast.group_a
    people = SimpleNamespace(
        **{
            key: make_user(name)
            for key, name in [
                ("sharer", "Sam Sharer"),
                ("quiet", "Quinn Quiet"),
                ("agreer", "Alex Agree"),
                ("waiting", "Wren Waiting"),
            ]
        }
    )
    for person in vars(people).values():
        add_member(group, person)
    version = gr.put_to_group(group, cast.facilitator, ["Listen.", "Phones away."])
    gr.answer(version, cast.facilitator)
    gr.answer(version, people.agreer)
    gr.answer(version, people.sharer, "talk", "SHARED: can we talk about phones?", "group")
    gr.answer(
        version, people.quiet, "talk", "PRIVATE: I worry about confidentiality.", "facilitators"
    )
    people.version = version
    return people


def test_tracker_shows_facilitators_every_answer(cast, client_for, gr, busy_round):
    page = html_of(
        client_for(cast.facilitator).get(gr.url("tracker", cast.group_a, busy_round.version.number))
    )
    assert "2 of 6 current members agree." in page
    assert "2 would like to talk." in page and "2 have not answered yet." in page

    def row(name, answer):
        return re.compile(rf'<th scope="row">{name}</th>\s*<td>{answer}</td>')

    for expected in [
        row("Alex Agree", "Agrees"),
        row("Fay Facilitator", "Agrees"),
        row("Pat Peer", "Not answered yet"),
        row("Quinn Quiet", "Would like to talk"),
        row("Sam Sharer", "Would like to talk"),
        row("Wren Waiting", "Not answered yet"),
    ]:
        assert expected.search(page), expected.pattern
    talks = page[page.index('id="talks-heading"') :]
    assert re.search(
        r"Quinn Quiet · about the rules as a whole · <strong>Waiting to be talked about</strong>"
        r"</p>\s*<p[^>]*>PRIVATE: I worry about confidentiality\. <span class=\"meta\">"
        r"\(for facilitators only\)",
        talks,
    )
    assert re.search(r"Sam Sharer · about the rules as a whole .*?SHARED: can we talk", talks, re.S)
    assert "2 requests are waiting to be talked about." in talks
    assert "@" not in re.sub(r"<[^>]*>", "", page)  # display names only, never emails


def test_tracker_shows_a_peer_only_counts_and_comments_shared_with_the_group(
    cast, client_for, gr, busy_round
):
    page = html_of(
        client_for(cast.peer).get(gr.url("tracker", cast.group_a, busy_round.version.number))
    )
    assert "2 of 6 current members agree." in page
    assert "2 would like to talk." in page and "2 have not answered yet." in page
    assert "Sam Sharer" in page and "SHARED: can we talk about phones?" in page
    for hidden in [
        "Quinn Quiet",
        "PRIVATE",
        "Alex Agree",
        "Wren Waiting",
        "Fay Facilitator",
        "Agrees",
        "Not answered yet",
        "<table",
        "Adopt this version",
        "Email a reminder",
    ]:
        assert hidden not in page, hidden


def test_reminders_go_only_to_members_who_have_not_answered(
    cast, client_for, gr, busy_round, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(cast.facilitator).post(
            gr.url("remind", cast.group_a, busy_round.version.number), follow=True
        )
    assert "Reminder sent to 2 people." in html_of(response)
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [cast.peer.email, busy_round.waiting.email]
    )
    assert_private_subjects(mailoutbox, cast.group_a)
    assert gr.url("answer", cast.group_a, busy_round.version.number) in mailoutbox[0].body


def test_adopting_needs_everyone_or_an_outcome(
    cast, client_for, gr, busy_round, mailoutbox, django_capture_on_commit_callbacks
):
    group, version = cast.group_a, busy_round.version
    client = client_for(cast.facilitator)
    before = gr.state()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            gr.url("adopt", group, version.number),
            {"outcome": "  ", "seen": round_seen(version)},
            follow=True,
        )
    assert response.redirect_chain == [(gr.url("tracker", group, version.number), 302)]
    assert "Some members asked to talk. Write down what came of each request" in html_of(response)
    notes = {f"note_{t.uuid}": "Talked it through." for t in TalkRequest.objects.all()}
    notes["seen"] = round_seen(version)
    response = client.post(gr.url("adopt", group, version.number), notes, follow=True)
    assert "Not everyone has agreed yet." in html_of(response)
    assert gr.state() == before
    assert mailoutbox == []

    outcome = "We talked about phones and confidentiality; everyone was happy to go ahead."
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            gr.url("adopt", group, version.number), {"outcome": outcome, **notes}
        )
    assert response.status_code == 302 and response["Location"] == gr.url("home", group)
    version.refresh_from_db()
    assert version.status == Version.Status.ADOPTED
    assert (version.outcome, version.closed_by) == (outcome, cast.facilitator)
    assert version.closed_at is not None
    assert len(mailoutbox) == 6  # every current member hears about it
    assert_private_subjects(mailoutbox, group)
    history = html_of(client.get(gr.url("versions", group)))
    assert "outcome recorded" in history and "Current" in history


def test_adopting_without_an_outcome_once_everyone_agrees(cast, client_for, gr):
    group = cast.group_a
    version = gr.put_to_group(group, cast.facilitator, ["Listen."])
    gr.answer(version, cast.facilitator)
    gr.answer(version, cast.peer)
    response = client_for(cast.facilitator).post(
        gr.url("adopt", group, version.number), {"outcome": "", "seen": round_seen(version)}
    )
    assert response.status_code == 302 and response["Location"] == gr.url("home", group)
    version.refresh_from_db()
    assert version.status == Version.Status.ADOPTED and version.outcome == ""


def test_a_newcomer_is_asked_to_answer_the_current_rules_first(cast, client_for, gr):
    group = cast.group_a
    current = gr.adopt(
        group, cast.facilitator, ["Listen.", "Phones away."], agreeing=[cast.facilitator, cast.peer]
    )
    newcomer = make_user("Nina Newcomer")
    add_member(group, newcomer)
    answer_url = gr.url("answer", group, current.number)
    pages = [
        reverse("groups:detail", args=[group.slug]),
        gr.url("home", group),
        gr.url("proposals", group),
        gr.url("versions", group),
    ]

    facilitator_home = html_of(client_for(cast.facilitator).get(gr.url("home", group)))
    assert "1 member has not answered these rules yet" in facilitator_home
    assert re.search(r"Nina Newcomer <span class=\"meta\">\(pending\)", facilitator_home)

    client = client_for(newcomer)
    for page in pages:
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"] == answer_url, page
    reading = html_of(client.get(answer_url))
    assert "Please read the group's ground rules" in reading
    assert "Listen." in reading and "Phones away." in reading

    response = client.post(
        answer_url,
        {"answer": "agree", "visibility": "facilitators", "content_hash": current.content_hash},
    )
    assert response.status_code == 302
    assert Agreement.objects.get(user=newcomer).version == current
    for page in pages:
        assert client.get(page).status_code == 200, page
    facilitator_home = html_of(client_for(cast.facilitator).get(gr.url("home", group)))
    assert "Nina Newcomer" not in facilitator_home


def test_only_current_members_of_a_live_group_are_asked_and_outsiders_learn_nothing(
    cast, client_for, gr
):
    """The newcomer check reads the group as the page would: an outsider gets the page's 404,
    never a redirect naming the group's current version; the organisation's coordinator,
    who is not a member, reads the rules without answering them; nor is anyone asked in an
    archived group."""
    group = cast.group_a
    gr.adopt(group, cast.facilitator, ["Listen."], agreeing=[cast.facilitator])
    home = gr.url("home", group)

    assert client_for(cast.other_peer).get(home).status_code == 404
    assert client_for(cast.coordinator).get(home).status_code == 200
    peer = client_for(cast.peer)  # a member who has not answered
    assert peer.get(home).status_code == 302
    Group.objects.filter(pk=group.pk).update(archived_at=timezone.now())
    assert peer.get(home).status_code == 200


# Who may do what ----------------------------------------------------------------------


def test_peers_cannot_run_rounds_or_edit_the_draft(
    cast, client_for, gr, mailoutbox, django_capture_on_commit_callbacks
):
    group = cast.group_a
    in_round = gr.put_to_group(group, cast.facilitator, ["Listen.", "Phones away."])
    draft = gr.draft(group, cast.facilitator)  # a copy of the round's text
    rule = draft.rules.order_by("position").first()
    proposal = services.propose(
        group=group, by=cast.peer, kind="add", fields=gr.fields("Be kind."), reason="Kindness."
    )
    rule_data = {"text": "Peer's own words.", "category": Category.OTHER}
    attempts = [
        ("round_open", [draft.number], {}),
        ("adopt", [in_round.number], {"outcome": "We decided."}),
        ("remind", [in_round.number], {}),
        ("withdraw", [in_round.number], {"outcome": "Not ready."}),
        ("draft_new", [], {}),
        ("rule_add", [], rule_data),
        ("rule_edit", [rule.uuid], rule_data),
        ("rule_delete", [rule.uuid], {}),
        ("rule_move", [rule.uuid], {"direction": "down"}),
        ("proposal_decide", [proposal.uuid], {"decision": "accept"}),
        ("starters", [], {"starters": ["listen"]}),
        ("start", [], {"want_rules": "yes", "review_every_months": "3"}),
    ]
    client = client_for(cast.peer)
    before = gr.state()
    for name, args, data in attempts:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(gr.url(name, group, *args), data)
        assert response.status_code == 403, name
    assert client.get(gr.url("rule_edit", group, rule.uuid)).status_code == 403
    assert gr.state() == before
    assert mailoutbox == []
    page = html_of(client.get(gr.url("draft", group)))
    assert "Your facilitators edit the draft." in page
    assert gr.url("rule_edit", group, rule.uuid) not in page
    assert "Put this draft to the group" not in page

    # The same request from the facilitator works: the 403 was about the role.
    response = client_for(cast.facilitator).post(
        gr.url("rule_delete", group, rule.uuid), {"base": stamp_of(rule)}
    )
    assert response.status_code == 302
    assert not Rule.objects.filter(pk=rule.pk).exists()


@pytest.fixture
def full_group_a(cast, gr):
    """Group A with something behind every kind of URL: versions 1-3, proposal, review, breach."""
    group = cast.group_a
    adopted = gr.adopt(
        group, cast.facilitator, ["Listen.", "Phones away."], agreeing=[cast.facilitator, cast.peer]
    )
    in_round = gr.put_to_group(group, cast.facilitator)
    draft = gr.draft(group, cast.facilitator)
    proposal = services.propose(
        group=group, by=cast.peer, kind="add", fields=gr.fields("Be kind."), reason="Kindness."
    )
    services.add_comment(proposal=proposal, by=cast.peer, text="Please?")
    first_rule = adopted.rules.order_by("position").first()
    review = services.record_review(
        group=group,
        by=cast.facilitator,
        held_on=timezone.localdate(),
        participants=3,
        outcome="no_change",
        notes="",
        items={r: ("yes", "") for r in adopted.rules.all()},
    )
    breach = services.record_breach(
        group=group,
        by=cast.facilitator,
        occurred_on=timezone.localdate(),
        rules=[first_rule],
        what_happened="Someone was interrupted.",
        response_taken="A reminder.",
        follow_up="",
        not_working=False,
    )
    gr.answer(in_round, cast.peer, "talk", "About the first rule.")
    return SimpleNamespace(
        talk=TalkRequest.objects.get(version=in_round),
        adopted=adopted,
        in_round=in_round,
        draft=draft,
        proposal=proposal,
        review=review,
        breach=breach,
        first_rule=first_rule,
    )


def _url_for(pattern, objects, slug):
    values = {
        "slug": slug,
        "number": objects.in_round.number,
        "rule": objects.draft.rules.order_by("position").first().uuid,
        "proposal": objects.proposal.uuid,
        "review": objects.review.uuid,
        "breach": objects.breach.uuid,
        "talk": objects.talk.uuid,
    }
    if pattern.name == "round_open":
        values["number"] = objects.draft.number
    kwargs = {name: values[name] for name in pattern.pattern.converters}
    return reverse(f"groundrules:{pattern.name}", kwargs=kwargs)


@pytest.mark.parametrize("outsider", ["other_peer", "other_coordinator"])
def test_outsiders_get_404_on_every_groundrules_url(
    cast, client_for, gr, full_group_a, outsider, mailoutbox, django_capture_on_commit_callbacks
):
    """As if group A did not exist: 404 (or the same 405 a missing group gets), nothing changes."""
    today = timezone.localdate().isoformat()
    rule = full_group_a.first_rule
    data = {
        "kind": "add",
        "text": "Outsider rule.",
        "category": Category.OTHER,
        "reason": "Mine.",
        "decision": "accept",
        "answer": "agree",
        "visibility": "group",
        "comment": "Hi",
        "content_hash": full_group_a.in_round.content_hash,
        "outcome": "Decided.",
        "direction": "up",
        "starters": ["listen"],
        "want_rules": "yes",
        "review_every_months": "3",
        "held_on": today,
        "participants": "2",
        f"rule_{rule.pk}_working": "yes",
        "occurred_on": today,
        "rules": [rule.pk],
        "what_happened": "x",
        "response_taken": "y",
    }
    client = client_for(getattr(cast, outsider))
    before = gr.state()
    checked = 0
    for pattern in urlpatterns:
        url = _url_for(pattern, full_group_a, cast.group_a.slug)
        missing = _url_for(pattern, full_group_a, "no-such-group")
        with django_capture_on_commit_callbacks(execute=True):
            got = client.get(url)
            post = client.post(url, data)
        assert post.status_code == 404, (pattern.name, post.status_code)
        assert got.status_code in (404, 405), (pattern.name, got.status_code)
        assert got.status_code == client.get(missing).status_code, pattern.name
        for response in (got, post):
            assert cast.group_a.name not in html_of(response)
            assert cast.org_a.name not in html_of(response)
        checked += 1
    assert checked == len(urlpatterns) >= 30
    assert gr.state() == before
    assert mailoutbox == []


def test_when_everyone_upholds_the_rules_a_peer_decides_and_edits_the_draft(cast, client_for, gr):
    group = cast.group_a
    group.upheld_by = Group.UpheldBy.EVERYONE
    group.save()
    draft = gr.draft(group, cast.facilitator, ["Listen."])
    other = make_user("Sam Sharer")
    add_member(group, other)
    proposal = services.propose(
        group=group, by=other, kind="add", fields=gr.fields("Be kind."), reason="Kindness."
    )
    client = client_for(cast.peer)

    response = client.post(gr.url("proposal_decide", group, proposal.uuid), {"decision": "accept"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decided_by) == (Proposal.Status.ACCEPTED, cast.peer)
    assert ordered_texts(draft) == ["Listen.", "Be kind."]

    rule = draft.rules.get(text="Listen.")
    response = client.post(
        gr.url("rule_edit", group, rule.uuid),
        {
            "text": "Listen, and let people finish.",
            "category": Category.RESPECT,
            "base": stamp_of(rule),
        },
    )
    assert response.status_code == 302 and response["Location"] == gr.url("draft", group)
    rule.refresh_from_db()
    assert (rule.text, rule.category) == ("Listen, and let people finish.", Category.RESPECT)
    page = html_of(client.get(gr.url("draft", group)))
    assert gr.url("rule_edit", group, rule.uuid) in page

    # Putting the draft to the group stays with the facilitators.
    before = gr.state()
    assert client.post(gr.url("round_open", group, draft.number)).status_code == 403
    assert gr.state() == before


def test_archived_group_refuses_proposals_and_answers(cast, client_for, gr):
    group = cast.group_a
    version = gr.put_to_group(group, cast.facilitator, ["Listen."])
    proposal = services.propose(
        group=group, by=cast.peer, kind="add", fields=gr.fields("Be kind."), reason="Kindness."
    )
    group.archived_at = timezone.now()
    group.save()
    before = gr.state()
    peer = client_for(cast.peer)
    assert (
        peer.post(
            gr.url("proposal_new", group),
            {
                "kind": "add",
                "text": "Late rule.",
                "category": Category.OTHER,
                "reason": "Why not.",
            },
        ).status_code
        == 403
    )
    answer_url = gr.url("answer", group, version.number)
    assert peer.get(answer_url).status_code == 403
    assert (
        peer.post(
            answer_url,
            {"answer": "agree", "visibility": "group", "content_hash": version.content_hash},
        ).status_code
        == 403
    )
    assert (
        peer.post(gr.url("proposal_comment", group, proposal.uuid), {"text": "Hello?"}).status_code
        == 403
    )
    facilitator = client_for(cast.facilitator)
    assert (
        facilitator.post(
            gr.url("proposal_decide", group, proposal.uuid), {"decision": "accept"}
        ).status_code
        == 403
    )
    assert (
        facilitator.post(
            gr.url("adopt", group, version.number), {"outcome": "Closing up."}
        ).status_code
        == 403
    )
    assert gr.state() == before
    page = html_of(client_for(cast.peer).get(gr.url("home", group)))
    assert "Archived" in page and "Suggest a change" not in page


# Content -------------------------------------------------------------------------------


def test_rule_text_is_escaped_everywhere_it_is_shown(cast, client_for, gr):
    group = cast.group_a
    gr.adopt(group, cast.facilitator, [f"Current {EVIL}"], agreeing=[cast.facilitator, cast.peer])
    draft = gr.draft(group, cast.facilitator)
    services.add_rule(version=draft, fields=gr.fields(f"Draft {EVIL}"))
    proposal = services.propose(
        group=group,
        by=cast.peer,
        kind="add",
        fields=gr.fields(f"Proposed {EVIL}"),
        reason=f"Reason {EVIL}",
    )
    client = client_for(cast.peer)
    expectations = {
        gr.url("home", group): [f"Current {EVIL_ESCAPED}"],
        gr.url("draft", group): [f"Current {EVIL_ESCAPED}", f"Draft {EVIL_ESCAPED}"],
        gr.url("proposal", group, proposal.uuid): [
            f"Proposed {EVIL_ESCAPED}",
            f"Reason {EVIL_ESCAPED}",
        ],
        gr.url("proposals", group): [f"Proposed {EVIL_ESCAPED}"],
        gr.url("print", group): [f"Current {EVIL_ESCAPED}"],
        gr.url("handout", group): [f"Current {EVIL_ESCAPED}"],
        gr.url("compare", group): [f"Draft {EVIL_ESCAPED}"],
    }
    for url, escaped in expectations.items():
        page = html_of(client.get(url))
        assert "<script" not in page, url
        for text in escaped:
            assert text in page, (url, text)


def test_text_over_the_limit_is_a_clear_form_error(cast, client_for, gr):
    group = cast.group_a
    draft = gr.draft(group, cast.facilitator, ["Listen."])
    rule = draft.rules.get()
    too_long, just_right = "a" * 501, "b" * 500
    error = "Ensure this value has at most 500 characters (it has 501)."
    facilitator = client_for(cast.facilitator)
    before = gr.state()

    response = facilitator.post(
        gr.url("rule_add", group), {"text": too_long, "category": Category.OTHER}
    )
    assert response.status_code == 200 and error in html_of(response)
    assert re.search(
        r'<textarea[^>]*name="text"[^>]*class="[^"]*is-invalid|'
        r'<textarea[^>]*class="[^"]*is-invalid[^"]*"[^>]*name="text"',
        html_of(response),
    )
    response = facilitator.post(
        gr.url("rule_edit", group, rule.uuid), {"text": too_long, "category": Category.OTHER}
    )
    assert response.status_code == 200 and error in html_of(response)
    response = client_for(cast.peer).post(
        gr.url("proposal_new", group),
        {"kind": "add", "text": too_long, "category": Category.OTHER, "reason": "Long."},
    )
    assert response.status_code == 200 and error in html_of(response)
    assert gr.state() == before

    response = client_for(cast.facilitator).post(
        gr.url("rule_add", group), {"text": just_right, "category": Category.OTHER}
    )
    assert response.status_code == 302
    assert ordered_texts(draft) == ["Listen.", just_right]


def test_compare_shows_added_removed_and_changed_rules_word_by_word(cast, client_for, gr):
    group = cast.group_a
    gr.adopt(
        group,
        cast.facilitator,
        ["Phones on silent please.", "Removed rule text.", "Same rule."],
        agreeing=[cast.facilitator, cast.peer],
    )
    draft = gr.draft(group, cast.facilitator)
    changed, removed, _same = draft.rules.order_by("position")
    services.update_rule(rule=changed, fields={"text": "Phones off please."})
    services.delete_rule(rule=removed)
    services.add_rule(version=draft, fields=gr.fields("Brand new rule."))

    client = client_for(cast.peer)
    page = html_of(client.get(gr.url("compare", group), {"older": 1, "newer": 2}))
    assert re.findall(r'<li class="diff-(\w+)">', page) == ["changed", "same", "added", "removed"]
    assert re.search(
        r'class="diff-changed">.*?Phones\s*<del><span class="visually-hidden">\[removed:\] '
        r"</span>on silent</del>\s*<ins><span class=\"visually-hidden\">\[added:\] </span>off"
        r"</ins>\s*please\.",
        page,
        re.S,
    )
    assert re.search(r'class="diff-added">.*?<ins>Brand new rule\.</ins>', page, re.S)
    assert re.search(r'class="diff-removed">.*?<del>Removed rule text\.</del>', page, re.S)
    assert re.search(r'class="diff-same">.*?Same rule\.', page, re.S)
    # With no choice made, the two newest versions are compared.
    assert re.findall(
        r'<li class="diff-(\w+)">', html_of(client.get(gr.url("compare", group)))
    ) == ["changed", "same", "added", "removed"]
    # The other way round, what was added is now what was removed.
    backwards = html_of(client.get(gr.url("compare", group), {"older": 2, "newer": 1}))
    assert re.search(
        r'class="diff-changed">.*?Phones\s*<del><span class="visually-hidden">\[removed:\] '
        r"</span>off</del>\s*<ins><span class=\"visually-hidden\">\[added:\] </span>on silent"
        r"</ins>",
        backwards,
        re.S,
    )
    assert re.search(r'class="diff-removed">.*?<del>Brand new rule\.</del>', backwards, re.S)


def test_print_and_handout_show_the_current_rules_without_site_navigation(cast, client_for, gr):
    group = cast.group_a
    group.meeting_time = "Tuesdays, 7pm"
    group.save()
    version = gr.draft(group, cast.facilitator, ["Listen.", "Phones away."])
    services.update_rule(
        rule=version.rules.get(text="Listen."),
        fields={"if_broken": "A gentle reminder.", "why": "To be heard."},
    )
    version = services.open_round(version=version, by=cast.facilitator, link=gr.LINK)
    services.adopt_version(version=version, by=cast.facilitator, outcome="Agreed.", link=gr.LINK)
    gr.answer(version, cast.facilitator)
    gr.answer(version, cast.peer)
    gr.draft(group, cast.facilitator, ["Draft only rule."])
    client = client_for(cast.peer)
    for name, heading, extra in [
        ("print", f"{group.name}: our ground rules", "If it is broken: A gentle reminder."),
        ("handout", f"Welcome to {group.name}", "116 123"),
    ]:
        page = html_of(client.get(gr.url(name, group)))
        rules = re.search(r'<ol class="print-rules">(.*?)</ol>', page, re.S).group(1)
        assert re.search(r"<li>Listen\..*</li>\s*<li>Phones away\.", rules, re.S), name
        assert heading in page and extra in page, name
        assert "Draft only rule." not in page
        for navigation in [
            'class="site-nav"',
            "Your groups",
            "Sign out",
            'aria-label="This group"',
            "Skip to main content",
            "Breach log",
            "Suggestions",
        ]:
            assert navigation not in page, (name, navigation)
        assert f'href="{gr.url("home", group)}"' in page  # only a way back


def test_print_page_before_any_rules_are_adopted(cast, client_for, gr):
    page = html_of(client_for(cast.peer).get(gr.url("print", cast.group_a)))
    assert "The group has not adopted any ground rules yet." in page
    assert "print-rules" not in page


def test_getting_started_saves_answers_and_starters_make_the_first_draft(cast, client_for, gr):
    group = cast.group_a
    client = client_for(cast.facilitator)
    page = html_of(client.get(gr.url("start", group)))
    assert "do we want or need ground rules?" in page.lower()
    response = client.post(
        gr.url("start", group),
        {
            "want_rules": "yes",
            "advantages": "Everyone knows where they stand.",
            "who_writes": "All of us, at the first meeting.",
            "how_shared": "On the wall.",
            "if_broken": "A quiet word first.",
            "review_every_months": "3",
            "upheld_by": "facilitators",
            "suggestions_from": "everyone",
        },
    )
    assert response.status_code == 302 and response["Location"] == gr.url("starters", group)
    rulebook = Rulebook.objects.get(group=group)
    assert (
        rulebook.want_rules,
        rulebook.advantages,
        rulebook.who_writes,
        rulebook.how_shared,
        rulebook.if_broken,
        rulebook.review_every_months,
    ) == (
        "yes",
        "Everyone knows where they stand.",
        "All of us, at the first meeting.",
        "On the wall.",
        "A quiet word first.",
        3,
    )
    assert not Version.objects.exists()

    response = client.post(gr.url("starters", group), {"starters": ["listen", "phones"]})
    assert response.status_code == 302 and response["Location"] == gr.url("draft", group)
    draft = Version.objects.get(group=group)
    assert (draft.number, draft.status, draft.created_by) == (
        1,
        Version.Status.DRAFT,
        cast.facilitator,
    )
    expected = [STARTERS_BY_KEY[key] for key in ("listen", "phones")]
    assert list(
        draft.rules.order_by("position").values_list("category", "text", "why", "if_broken")
    ) == [
        (category, str(text), str(why), str(if_broken))
        for category, text, why, if_broken in expected
    ]
    page = html_of(client.get(gr.url("draft", group)))
    assert "One person speaks at a time." in page
    assert "This will be the group's first set of ground rules." in page

    # Coming back to the questions later goes to the rules, not the starters again.
    response = client.post(
        gr.url("start", group),
        {
            "want_rules": "yes",
            "review_every_months": "6",
            "upheld_by": "facilitators",
            "suggestions_from": "everyone",
            "base": stamp_of(Rulebook.objects.get(group=group)),
        },
    )
    assert response["Location"] == gr.url("home", group)
    assert Rulebook.objects.get(group=group).review_every_months == 6
    assert Version.objects.count() == 1
