"""The world every matrix case starts from: the cast, and real rows in group A and
organisation A (ground rules, invitations, venues) for every URL to point at.

It is built once per test module (tests/matrix/conftest.py); each case reads a
fresh copy of it, and what a case writes is rolled back after it.
"""

import uuid
from datetime import timedelta
from types import SimpleNamespace

from django.utils import timezone

from groundrules import services as rule_services
from groundrules.models import Category, Proposal, Review, ReviewItem, TalkRequest, Version
from groups import services as group_services
from groups.models import Concern, Group, HelpService, Invitation, Membership
from groups.services import end_membership, hash_token
from safespace.dashboard.services import snapshot_trends
from tests.builders import (
    LINK,
    PASSWORD,
    add_member,
    adopt,
    assess,
    build_cast,
    draft,
    fields,
    long_ago,
    make_user,
    venue,
)
from tests.builders import action as make_action
from venues import services as venue_services
from venues.models import Answer, ReleasedAnswer

NEW_PASSWORD = "a-brand-new-passphrase-42"
OLD_PASSWORD = PASSWORD  # make_user's default
NEWCOMER_EMAIL = "newcomer@a.test"
ACCEPT_TOKEN = "matrix-test-invitation-token"
GROUP_A_PURPOSE = "A circle for carers of people living with dementia"

# Group A's ground rules: version 1 adopted, version 2 put to the group, version 3 a draft.
CURRENT_RULES = ["What is said here stays here.", "Phones on silent during the meeting."]
ROUND_RULE = "Take time out whenever you need it."  # added in version 2
DRAFT_RULE = "Speak for yourself, not for others."  # added in version 3
PROPOSED_RULE = "Arrive on time and leave gently."
PROPOSAL_REASON = "Latecomers interrupt someone sharing."
REVIEW_NOTES = "Everyone felt the rules are working."
BREACH_TEXT = "A story shared in the group was retold outside it."
TALK_COMMENT = "Can we talk about what counts as sharing outside the group?"

# Organisation A's venues (see _venues).
ROOM = "Mill Lane Community Centre"  # group A meets here
ROOM_ACCESS = "Ring the bell by the side door; the caretaker lets you in."
HALL = "St Anne's Church Hall"  # in the library, used by no group
NO_KEY = "other-users"  # answered No in the latest check of the room
NO_NOTE = "A youth club uses the next room and can hear everything."
ACTION_WHAT = "Ask the centre for the back room on Tuesdays."
FEEDBACK_COMMENT = "I worry about who walks past the window."
FEEDBACK_SCORE = 4  # every score of this quarter's three anonymous answers
# Seen only by group A's facilitators and organisation A's coordinators.
LEADERS_ONLY = [NO_NOTE, ACTION_WHAT, FEEDBACK_COMMENT]

# Private messages in group A (see _being_heard): one to its facilitators, open; one to
# organisation A's coordinators about a facilitator, already followed up. Each is read
# only by the people it was sent to.
TO_FACILITATORS_TEXT = "The man at the door makes me uneasy when we leave."
TO_COORDINATORS_TEXT = "Our facilitator shares what we say with her friends."
FOLLOW_UP_NOTE = "Met the member for a coffee and talked it through."
# Lists of help: group A's and organisation A's own.
GROUP_HELP = "Riverside Carers Line"
ORG_HELP = "Riverside Wellbeing Hub"


def build_world():
    cast = build_cast()
    Group.objects.filter(pk=cast.group_a.pk).update(purpose=GROUP_A_PURPOSE)
    cast.group_a.refresh_from_db()
    later = timezone.now() + timedelta(days=7)

    def invitation(**fields):
        return Invitation.objects.create(
            token_hash=hash_token(uuid.uuid4().hex),
            invited_by=cast.coordinator,
            expires_at=later,
            **fields,
        )

    accept = invitation(
        organisation=cast.org_a,
        group=cast.group_a,
        role=Invitation.Role.PEER,
        email=NEWCOMER_EMAIL,
    )
    Invitation.objects.filter(pk=accept.pk).update(token_hash=hash_token(ACCEPT_TOKEN))
    world = SimpleNamespace(
        cast=cast,
        rules=_ground_rules(cast),
        accept_invitation=accept,
        group_invitation=invitation(
            organisation=cast.org_a,
            group=cast.group_a,
            role=Invitation.Role.PEER,
            email="someone-invited@a.test",
        ),
        coordinator_invitation=invitation(
            organisation=cast.org_a,
            group=None,
            role=Invitation.Role.COORDINATOR,
            email="organiser-invited@a.test",
        ),
        peer_membership=Membership.objects.get(group=cast.group_a, user=cast.peer),
        venues=_venues(cast),
        heard=_being_heard(cast),
        # Never shown to outsiders, never in a refusal.
        secrets=[
            cast.group_a.name,
            GROUP_A_PURPOSE,
            cast.org_a.name,
            ROOM,
            ROOM_ACCESS,
            *LEADERS_ONLY,
            TO_FACILITATORS_TEXT,
            TO_COORDINATORS_TEXT,
            FOLLOW_UP_NOTE,
        ],
    )
    snapshot_trends()  # as the daily job would: the months that have ended, for the trends
    return world


def _being_heard(cast):
    """Group A's private messages (one to its facilitators, open; one to the coordinators,
    followed up, so the coordinator's home is still the dashboard) and both lists of help."""
    group = cast.group_a
    to_facilitators = Concern.objects.create(
        group=group, sender=cast.peer, to=Concern.To.FACILITATORS, text=TO_FACILITATORS_TEXT
    )
    to_coordinators = Concern.objects.create(
        group=group, sender=cast.peer, to=Concern.To.COORDINATORS, text=TO_COORDINATORS_TEXT
    )
    group_services.follow_up_concern(
        concern=to_coordinators, by=cast.coordinator, note=FOLLOW_UP_NOTE
    )
    return SimpleNamespace(
        to_facilitators=to_facilitators,
        to_coordinators=to_coordinators,
        group_help=HelpService.objects.create(
            group=group, name=GROUP_HELP, what_for="Carers' support", phone="0800 111 2222"
        ),
        org_help=HelpService.objects.create(
            organisation=cast.org_a, name=ORG_HELP, what_for="Drop-in", phone="0161 000 0000"
        ),
    )


def _ground_rules(cast):
    """Real ground rules rows in group A, for every groundrules URL to point at.

    Version 1 is adopted and answered by the facilitator and the peer (else the
    newcomer gate would send them to answer it first: see
    test_newcomer_gate_sends_members_who_have_not_answered_to_the_rules); version 2
    is with the group (nobody has answered it yet); version 3 is the draft, with
    one rule more. A peer's suggestion is open; a review and a breach record exist.
    """
    group, facilitator = cast.group_a, cast.facilitator
    current = adopt(group, facilitator, CURRENT_RULES, agreeing=[facilitator, cast.peer])
    in_round = draft(group, facilitator)  # a copy of version 1
    rule_services.add_rule(version=in_round, fields=fields(ROUND_RULE))
    in_round = rule_services.open_round(version=in_round, by=facilitator, link=LINK)
    next_draft = draft(group, facilitator)  # a copy of version 2
    draft_rule = rule_services.add_rule(
        version=next_draft, fields=fields(DRAFT_RULE, Category.SHARING)
    )
    proposal = rule_services.propose(
        group=group,
        by=cast.peer,
        kind=Proposal.Kind.ADD,
        fields={"text": PROPOSED_RULE, "category": Category.RESPECT},
        reason=PROPOSAL_REASON,
    )
    current_rules = list(current.rules.order_by("position"))
    review = rule_services.record_review(
        group=group,
        by=facilitator,
        held_on=timezone.localdate(),
        participants=4,
        outcome=Review.Outcome.NO_CHANGE,
        notes=REVIEW_NOTES,
        items={rule: (ReviewItem.Working.YES, "") for rule in current_rules},
    )
    breach = rule_services.record_breach(
        group=group,
        by=facilitator,
        occurred_on=timezone.localdate() - timedelta(days=3),
        rules=current_rules[:1],
        what_happened=BREACH_TEXT,
        response_taken="A quiet word at the break.",
        follow_up="",
        not_working=False,
    )
    # The peer would like to talk about the first current rule (facilitators only).
    talk = TalkRequest.objects.create(
        version=current, member=cast.peer, rule=current_rules[0], comment=TALK_COMMENT
    )
    assert [v.status for v in Version.objects.filter(group=group).order_by("number")] == [
        Version.Status.ADOPTED,
        Version.Status.IN_ROUND,
        Version.Status.DRAFT,
    ]
    return SimpleNamespace(
        current=current,
        current_rules=current_rules,
        round=in_round,
        draft=next_draft,
        draft_rule=draft_rule,
        proposal=proposal,
        review=review,
        breach=breach,
        talk=talk,
    )


def _venues(cast):
    """Real venues rows in organisation A, for every venues URL to point at.

    The default questions (version 1); group A's room, with access notes, and a
    hall in the library that no group uses. The room was checked 200 days ago
    (all Yes) and again recently, with a No (and a note) that became an action;
    a new check of it is in progress, every question answered. Three members
    answered this quarter's anonymous check (one with a comment) and have since
    left, so group A still has its two members.
    """
    group, facilitator, org = cast.group_a, cast.facilitator, cast.org_a
    template = venue_services.ensure_template(org)
    room = venue(
        org,
        ROOM,
        used_by=[group],
        address="12 Mill Lane",
        postcode="AB1 2CD",
        directions="Bus 12 to the library stop.",
        access_notes=ROOM_ACCESS,
    )
    hall = venue(org, HALL, address="1 Church Street", postcode="")
    earlier = assess(group, room, facilitator, when=timezone.now() - timedelta(days=200))
    latest = assess(
        group, room, facilitator, values={NO_KEY: Answer.Value.NO}, notes={NO_KEY: NO_NOTE}
    )
    action = make_action(
        latest,
        NO_KEY,
        facilitator,
        what=ACTION_WHAT,
        due_on=timezone.localdate() + timedelta(days=30),
    )
    in_progress = assess(group, room, facilitator, submit=False)
    for n in range(3):
        former = make_user(f"Former Member {n}", f"former{n}@a.test")
        membership = add_member(group, former, joined_at=long_ago())
        venue_services.give_feedback(
            user=former,
            group=group,
            venue=room,
            scores=dict.fromkeys(ReleasedAnswer.SCORE_FIELDS, FEEDBACK_SCORE),
            comment=FEEDBACK_COMMENT if n == 0 else "",
        )
        end_membership(membership, ending=Membership.Ending.LEFT)
    return SimpleNamespace(
        template=template,
        room=room,
        hall=hall,
        earlier=earlier,
        latest=latest,
        action=action,
        in_progress=in_progress,
        # Version 1 of the questions, as (key, text) in order; the "Being safe" keys.
        questions=question_texts(template),
        being_safe_keys=[key for key, _text in question_texts(template, "being_safe")],
    )


def question_texts(template, section=None):
    found = template.questions.order_by("section", "position")
    if section:
        found = found.filter(section=section)
    return list(found.values_list("key", "text"))
