"""Drafting, proposals, agreement rounds and adoption, through the service layer."""

import pytest

from groundrules import selectors, services
from groundrules.models import Agreement, Category, Proposal, Rule, Version
from groups.models import Membership
from groups.services import end_membership
from tests.builders import add_member, fields, make_user

LINK = "https://safespace.test/x/"


def rule_fields(text="Phones on silent.", category=Category.PHONES):
    return fields(text, category, if_broken="A reminder.")


@pytest.fixture
def draft(cast):
    version = services.start_draft(group=cast.group_a, by=cast.facilitator)
    services.add_rule(
        version=version,
        fields=rule_fields("What is said here stays here.", Category.CONFIDENTIALITY),
    )
    services.add_rule(version=version, fields=rule_fields())
    return version


def test_start_draft_returns_the_same_draft(cast, draft):
    again = services.start_draft(group=cast.group_a, by=cast.peer)
    assert again.pk == draft.pk
    assert Version.objects.filter(group=cast.group_a).count() == 1


def test_open_round_freezes_text_and_emails_every_member(
    cast, draft, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        version = services.open_round(version=draft, by=cast.facilitator, link=LINK)
    assert version.status == Version.Status.IN_ROUND
    assert len(version.content_hash) == 64
    assert sorted(m.to[0] for m in mailoutbox) == sorted([cast.facilitator.email, cast.peer.email])
    assert all(cast.group_a.name not in m.subject + m.body for m in mailoutbox)
    with pytest.raises(services.RulesError):
        services.add_rule(version=version, fields=rule_fields("Late addition"))
    with pytest.raises(services.RulesError):
        services.update_rule(rule=version.rules.first(), fields={"text": "Changed"})
    assert version.rules.count() == 2


def test_agreement_is_bound_to_the_text_seen(cast, draft):
    version = services.open_round(version=draft, by=cast.facilitator, link=LINK)
    with pytest.raises(services.RulesError):
        services.record_agreement(
            version=version, user=cast.peer, answer="agree", visibility="group", seen_hash="0" * 64
        )
    assert not Agreement.objects.exists()
    agreement = services.record_agreement(
        version=version,
        user=cast.peer,
        answer="agree",
        visibility="group",
        seen_hash=version.content_hash,
    )
    assert agreement.content_hash == version.content_hash


def test_changing_an_answer_updates_the_one_row(cast, draft):
    version = services.open_round(version=draft, by=cast.facilitator, link=LINK)
    kwargs = {
        "version": version,
        "user": cast.peer,
        "seen_hash": version.content_hash,
        "visibility": "facilitators",
    }
    services.record_agreement(answer="agree", **kwargs)
    services.record_agreement(answer="talk", comment="Can we talk about phones?", **kwargs)
    only = Agreement.objects.get()
    assert only.answer == "talk" and only.comment == "Can we talk about phones?"


def test_talk_needs_a_comment_and_outsiders_cannot_answer(cast, draft):
    version = services.open_round(version=draft, by=cast.facilitator, link=LINK)
    with pytest.raises(services.RulesError):
        services.record_agreement(
            version=version,
            user=cast.peer,
            answer="talk",
            comment=" ",
            visibility="group",
            seen_hash=version.content_hash,
        )
    with pytest.raises(services.RulesError):
        services.record_agreement(
            version=version,
            user=cast.other_peer,
            answer="agree",
            visibility="group",
            seen_hash=version.content_hash,
        )
    assert not Agreement.objects.exists()


def test_adopt_needs_everyone_or_an_outcome(cast, draft):
    version = services.open_round(version=draft, by=cast.facilitator, link=LINK)
    services.record_agreement(
        version=version,
        user=cast.peer,
        answer="agree",
        visibility="group",
        seen_hash=version.content_hash,
    )
    with pytest.raises(services.RulesError):
        services.adopt_version(version=version, by=cast.facilitator, outcome="", link=LINK)
    version.refresh_from_db()
    assert version.status == Version.Status.IN_ROUND
    services.record_agreement(
        version=version,
        user=cast.facilitator,
        answer="agree",
        visibility="group",
        seen_hash=version.content_hash,
    )
    adopted = services.adopt_version(version=version, by=cast.facilitator, outcome="", link=LINK)
    assert adopted.status == Version.Status.ADOPTED
    with pytest.raises(services.RulesError):
        services.adopt_version(version=version, by=cast.facilitator, outcome="again", link=LINK)


def test_only_current_members_count(cast, draft):
    version = services.open_round(version=draft, by=cast.facilitator, link=LINK)
    services.record_agreement(
        version=version,
        user=cast.facilitator,
        answer="agree",
        visibility="group",
        seen_hash=version.content_hash,
    )
    assert not selectors.everyone_agreed(version)
    peer_membership = Membership.objects.get(group=cast.group_a, user=cast.peer)
    end_membership(peer_membership, ending=Membership.Ending.LEFT)
    assert selectors.everyone_agreed(version)
    newcomer = make_user("New Person")
    add_member(cast.group_a, newcomer)
    assert not selectors.everyone_agreed(version)


def test_adopting_supersedes_the_previous_version_and_answers_do_not_carry_over(cast, draft):
    first = services.open_round(version=draft, by=cast.facilitator, link=LINK)
    services.adopt_version(
        version=first, by=cast.facilitator, outcome="Talked it through.", link=LINK
    )
    services.record_agreement(
        version=first,
        user=cast.peer,
        answer="agree",
        visibility="group",
        seen_hash=first.content_hash,
    )
    second = services.start_draft(group=cast.group_a, by=cast.facilitator)
    assert second.number == 2 and second.rules.count() == 2
    assert set(second.rules.values_list("lineage", flat=True)) == set(
        first.rules.values_list("lineage", flat=True)
    )
    second = services.open_round(version=second, by=cast.facilitator, link=LINK)
    assert second.content_hash == first.content_hash  # same words...
    assert not Agreement.objects.filter(version=second).exists()  # ...but answers stay put
    services.adopt_version(version=second, by=cast.facilitator, outcome="Re-agreed.", link=LINK)
    first.refresh_from_db()
    assert first.status == Version.Status.SUPERSEDED


def test_withdraw_starts_a_new_draft_from_the_withdrawn_text(cast, draft):
    version = services.open_round(version=draft, by=cast.facilitator, link=LINK)
    new_draft = services.withdraw_round(
        version=version, by=cast.facilitator, outcome="We need to talk more."
    )
    version.refresh_from_db()
    assert version.status == Version.Status.WITHDRAWN
    assert new_draft.status == Version.Status.DRAFT and new_draft.based_on_id == version.pk
    assert list(new_draft.rules.values_list("text", flat=True)) == list(
        version.rules.values_list("text", flat=True)
    )


def test_accepting_proposals_edits_the_draft(
    cast, draft, mailoutbox, django_capture_on_commit_callbacks
):
    target = draft.rules.get(category=Category.PHONES)
    change = services.propose(
        group=cast.group_a,
        by=cast.peer,
        kind="change",
        target=target,
        fields=rule_fields("Phones off, please."),
        reason="Clearer.",
    )
    remove = services.propose(
        group=cast.group_a, by=cast.peer, kind="remove", target=target, reason="Not needed."
    )
    add = services.propose(
        group=cast.group_a,
        by=cast.peer,
        kind="add",
        fields=rule_fields("Take a break whenever you need.", Category.TIME_OUT),
        reason="Helps me.",
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_proposal(proposal=change, by=cast.facilitator, link=LINK)
        services.accept_proposal(proposal=add, by=cast.facilitator, link=LINK)
    texts = list(draft.rules.values_list("text", flat=True))
    assert texts == [
        "What is said here stays here.",
        "Phones off, please.",
        "Take a break whenever you need.",
    ]
    assert [m.to for m in mailoutbox] == [[cast.peer.email], [cast.peer.email]]
    services.accept_proposal(proposal=remove, by=cast.facilitator, link=LINK)
    assert not draft.rules.filter(lineage=target.lineage).exists()
    with pytest.raises(services.RulesError):
        services.decline_proposal(proposal=remove, by=cast.facilitator, reason="x", link=LINK)
    remove.refresh_from_db()
    assert remove.status == Proposal.Status.ACCEPTED


def test_move_rule_reorders(cast, draft):
    second = draft.rules.order_by("position")[1]
    services.move_rule(rule=second, up=True)
    assert draft.rules.order_by("position").first().pk == second.pk
    assert list(draft.rules.order_by("position").values_list("position", flat=True)) == [1, 2]


def test_open_round_needs_rules(cast):
    empty = services.start_draft(group=cast.group_a, by=cast.facilitator)
    with pytest.raises(services.RulesError):
        services.open_round(version=empty, by=cast.facilitator, link=LINK)
    assert Rule.objects.count() == 0
