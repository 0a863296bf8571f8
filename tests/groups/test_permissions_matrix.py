"""Role × URL permission matrix.

Every URL pattern of our apps is requested with GET and with POST by each member
of the cast, pointed at group A / organisation A objects. The expected outcome
of each (URL, method, role) is written in MATRIX below, one line per URL and
method. For every request the test also checks that:

- a refusal (sign-in redirect, 403, 404, 405) changed nothing in the
  database, sent no email and does not name group A, its organisation or its
  purpose — not in the page, not in a redirect;
- an outsider's refusal cannot be told apart from the answer for a group or
  organisation that does not exist;
- no page ever shows another cast member's email address, and outsiders never
  see group A's name, purpose, organisation or members on any page;
- only facilitators and coordinators ever see what is in the breach log, a
  venue check's notes, its actions or peers' anonymous comments;
- a page that answers 200 shows what it is for and changed nothing;
- an action that succeeds ("done") really happened (the row's effect check).

`test_matrix_covers_every_url_pattern` fails when a URL pattern is added
without a line here. The cast's members have answered group A's current ground
rules; `test_newcomer_gate_sends_members_who_have_not_answered_to_the_rules`
covers a peer who has not.
"""

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from html import escape as html_escape
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import dateformat, timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from groundrules import reviews as rule_reviews
from groundrules import services as rule_services
from groundrules.models import (
    Agreement,
    Breach,
    Category,
    Proposal,
    ProposalComment,
    Review,
    ReviewItem,
    Rule,
    Rulebook,
    Version,
    hash_rules,
)
from groundrules.starters import STARTERS_BY_KEY
from groups.models import Group, GroupNeed, Invitation, Membership
from groups.services import end_membership, hash_token
from tests.builders import LINK, add_member, adopt, draft, fields, make_user
from venues import services as venue_services
from venues.models import (
    Action,
    Answer,
    Assessment,
    FeedbackReceipt,
    FeedbackResponse,
    Template,
    Venue,
    VenueUse,
)

ROLES = ("anonymous", "coordinator", "facilitator", "peer", "other_coordinator", "other_peer")
OUTSIDERS = ("other_coordinator", "other_peer")
INSIDERS = ("coordinator", "facilitator", "peer")

# Outcomes:
#   200      the page is shown (its content is checked); nothing changes
#   done     the action succeeds: a redirect, and the row's effect check passes
#   login    302 to the sign-in page with ?next=<this URL>; nothing changes
#   to_home  302 to the home page (the sign-in page for someone signed in); nothing changes
#   to_dash  302 to the safety dashboard of the organisation this person coordinates;
#            nothing changes
#   403      refused to someone who may see the group, or an invitation link
#            opened by the wrong account; nothing changes
#   404      refused as if the group/organisation did not exist; nothing changes
#   405      method not allowed (POST-only or GET-only URL); nothing changes
#
# Notes on lines that are not the headline rule ("outsiders 404"):
# - restore, invitation_revoke and coordinator_invitation_revoke are POST-only
#   (require_POST), which answers 405 to a GET before anything is looked up: the
#   same answer as for a group that does not exist (checked), so nothing leaks.
# - leave: a coordinator who is not a member has nothing to leave: 403.
# - organisation pages are for coordinators only: a facilitator or peer of a
#   group in the organisation gets 404, like any outsider.
# - invitation_accept is opened by whoever holds the link. The cast's
#   invitation is for a newcomer, so everyone signed in gets "this invitation
#   is for someone else" (403, naming nothing); anonymous signs up and joins.
# - password_reset_confirm uses a valid link for the peer: any holder of the
#   link may set the peer's password (that is what the link is for).
# - Ground rules (groundrules:*), in group A, which leaves upholding the rules
#   to facilitators: see _ground_rules for the rows every URL points at.
#   Coordinators of organisation A read everything, the breach log included,
#   and record and delete breaches; they are not members, so proposing,
#   commenting, answering, getting started, editing the draft, deciding
#   suggestions, running rounds and recording reviews are 403 to them. Peers
#   read everything but the breach log (403) and may propose, comment and
#   answer. POST to a page that only shows something answers like GET (200,
#   nothing changes); the POST-only URLs answer 405 to GET, as above.
# - groundrules:starters first removes group A's ground rules (versions,
#   reviews, breach records): starters are for a group's first draft only.
# - groundrules:round_open first withdraws version 2 (only one version can be
#   with the group at a time); groundrules:draft_new first removes the draft
#   (with a draft, "start a draft" hands back the one there is).
# - home: a coordinator who is in no group and coordinates one organisation
#   is sent to that organisation's safety dashboard (to_dash).
# - Venues (venues:*) and the safety pages, pointed at organisation A's
#   library, group A's room (used by group A), its submitted checks (the
#   latest with a No, and an action from it), the check in progress and this
#   quarter's anonymous answers: see _venues. The library, the questions, the
#   dashboard (and its CSV and print view) and the trends are organisation
#   pages: 404 to anyone but its coordinators. A venue's page, and keeping its
#   details, are for the organisation's coordinators and the facilitators of a
#   group that meets there; anyone else gets 404. Facilitators and coordinators
#   add a venue for group A (venues:venue_add), into organisation A's library.
#   In group A, peers see where the group meets and answer the anonymous
#   check (a member's answer: the facilitator too, the coordinator is not a
#   member: 403); checks, actions, peers' answers, choosing venues and the
#   safety page are for facilitators and coordinators (403 to peers).
# - venues:start first removes the check in progress (else it is resumed, and
#   nothing is created); venues:submit submits the check in progress, which
#   has every question answered.
# - The admin site is excluded from the matrix: it is Django's own, reachable
#   only by staff accounts (none in the cast), behind its own sign-in;
#   test_admin_site_refuses_the_cast checks that nobody in the cast gets in.
MATRIX = """
url name                             method anon    coord   facil   peer    o_coord o_peer
home                                 GET    login   to_dash 200     200     to_dash 200
home                                 POST   login   to_dash 200     200     to_dash 200
help                                 GET    200     200     200     200     200     200
help                                 POST   200     200     200     200     200     200
account                              GET    login   200     200     200     200     200
account                              POST   login   done    done    done    done    done
login                                GET    200     to_home to_home to_home to_home to_home
login                                POST   done    to_home to_home to_home to_home to_home
logout                               GET    login   405     405     405     405     405
logout                               POST   login   done    done    done    done    done
password_change                      GET    login   200     200     200     200     200
password_change                      POST   login   done    done    done    done    done
password_change_done                 GET    login   200     200     200     200     200
password_change_done                 POST   login   405     405     405     405     405
password_reset                       GET    200     200     200     200     200     200
password_reset                       POST   done    done    done    done    done    done
password_reset_done                  GET    200     200     200     200     200     200
password_reset_done                  POST   405     405     405     405     405     405
password_reset_confirm               GET    done    done    done    done    done    done
password_reset_confirm               POST   done    done    done    done    done    done
password_reset_complete              GET    200     200     200     200     200     200
password_reset_complete              POST   405     405     405     405     405     405
invitation_accept                    GET    200     403     403     403     403     403
invitation_accept                    POST   done    403     403     403     403     403
groups:list                          GET    login   200     200     200     200     200
groups:list                          POST   login   200     200     200     200     200
groups:detail                        GET    login   200     200     200     404     404
groups:detail                        POST   login   200     200     200     404     404
groups:edit                          GET    login   200     200     403     404     404
groups:edit                          POST   login   done    done    403     404     404
groups:archive                       GET    login   200     403     403     404     404
groups:archive                       POST   login   done    403     403     404     404
groups:restore                       GET    login   405     405     405     405     405
groups:restore                       POST   login   done    403     403     404     404
groups:members                       GET    login   200     200     200     404     404
groups:members                       POST   login   200     200     200     404     404
groups:member_remove                 GET    login   200     200     403     404     404
groups:member_remove                 POST   login   done    done    403     404     404
groups:leave                         GET    login   403     200     200     404     404
groups:leave                         POST   login   403     done    done    404     404
groups:invitations                   GET    login   200     200     403     404     404
groups:invitations                   POST   login   done    done    403     404     404
groups:invitation_revoke             GET    login   405     405     405     405     405
groups:invitation_revoke             POST   login   done    done    403     404     404
groups:organisation                  GET    login   200     404     404     404     404
groups:organisation                  POST   login   200     404     404     404     404
groups:group_create                  GET    login   200     404     404     404     404
groups:group_create                  POST   login   done    404     404     404     404
groups:coordinators                  GET    login   200     404     404     404     404
groups:coordinators                  POST   login   done    404     404     404     404
groups:coordinator_invitation_revoke GET    login   405     405     405     405     405
groups:coordinator_invitation_revoke POST   login   done    404     404     404     404
groundrules:home                     GET    login   200     200     200     404     404
groundrules:home                     POST   login   200     200     200     404     404
groundrules:versions                 GET    login   200     200     200     404     404
groundrules:versions                 POST   login   200     200     200     404     404
groundrules:version                  GET    login   200     200     200     404     404
groundrules:version                  POST   login   200     200     200     404     404
groundrules:compare                  GET    login   200     200     200     404     404
groundrules:compare                  POST   login   200     200     200     404     404
groundrules:print                    GET    login   200     200     200     404     404
groundrules:print                    POST   login   200     200     200     404     404
groundrules:handout                  GET    login   200     200     200     404     404
groundrules:handout                  POST   login   200     200     200     404     404
groundrules:start                    GET    login   403     200     403     404     404
groundrules:start                    POST   login   403     done    403     404     404
groundrules:starters                 GET    login   403     200     403     404     404
groundrules:starters                 POST   login   403     done    403     404     404
groundrules:draft                    GET    login   200     200     200     404     404
groundrules:draft                    POST   login   200     200     200     404     404
groundrules:draft_new                GET    login   405     405     405     405     405
groundrules:draft_new                POST   login   403     done    403     404     404
groundrules:rule_add                 GET    login   403     200     403     404     404
groundrules:rule_add                 POST   login   403     done    403     404     404
groundrules:rule_edit                GET    login   403     200     403     404     404
groundrules:rule_edit                POST   login   403     done    403     404     404
groundrules:rule_delete              GET    login   403     200     403     404     404
groundrules:rule_delete              POST   login   403     done    403     404     404
groundrules:rule_move                GET    login   405     405     405     405     405
groundrules:rule_move                POST   login   403     done    403     404     404
groundrules:proposals                GET    login   200     200     200     404     404
groundrules:proposals                POST   login   200     200     200     404     404
groundrules:proposal_new             GET    login   403     200     200     404     404
groundrules:proposal_new             POST   login   403     done    done    404     404
groundrules:proposal                 GET    login   200     200     200     404     404
groundrules:proposal                 POST   login   200     200     200     404     404
groundrules:proposal_comment         GET    login   405     405     405     405     405
groundrules:proposal_comment         POST   login   403     done    done    404     404
groundrules:proposal_decide          GET    login   405     405     405     405     405
groundrules:proposal_decide          POST   login   403     done    403     404     404
groundrules:round_open               GET    login   405     405     405     405     405
groundrules:round_open               POST   login   403     done    403     404     404
groundrules:tracker                  GET    login   200     200     200     404     404
groundrules:tracker                  POST   login   200     200     200     404     404
groundrules:answer                   GET    login   403     200     200     404     404
groundrules:answer                   POST   login   403     done    done    404     404
groundrules:remind                   GET    login   405     405     405     405     405
groundrules:remind                   POST   login   403     done    403     404     404
groundrules:adopt                    GET    login   405     405     405     405     405
groundrules:adopt                    POST   login   403     done    403     404     404
groundrules:withdraw                 GET    login   405     405     405     405     405
groundrules:withdraw                 POST   login   403     done    403     404     404
groundrules:reviews                  GET    login   200     200     200     404     404
groundrules:reviews                  POST   login   403     done    403     404     404
groundrules:review_new               GET    login   403     200     403     404     404
groundrules:review_new               POST   login   403     done    403     404     404
groundrules:review                   GET    login   200     200     200     404     404
groundrules:review                   POST   login   200     200     200     404     404
groundrules:breaches                 GET    login   200     200     403     404     404
groundrules:breaches                 POST   login   done    done    403     404     404
groundrules:breach_delete            GET    login   200     200     403     404     404
groundrules:breach_delete            POST   login   done    done    403     404     404
dashboard                            GET    login   200     404     404     404     404
dashboard                            POST   login   200     404     404     404     404
dashboard_csv                        GET    login   200     404     404     404     404
dashboard_csv                        POST   login   200     404     404     404     404
dashboard_print                      GET    login   200     404     404     404     404
dashboard_print                      POST   login   200     404     404     404     404
trends                               GET    login   200     404     404     404     404
trends                               POST   login   200     404     404     404     404
safety                               GET    login   200     200     403     404     404
safety                               POST   login   200     200     403     404     404
venues:library                       GET    login   200     404     404     404     404
venues:library                       POST   login   200     404     404     404     404
venues:venue_new                     GET    login   200     404     404     404     404
venues:venue_new                     POST   login   done    404     404     404     404
venues:questions                     GET    login   200     404     404     404     404
venues:questions                     POST   login   200     404     404     404     404
venues:question_add                  GET    login   200     404     404     404     404
venues:question_add                  POST   login   done    404     404     404     404
venues:question_edit                 GET    login   200     404     404     404     404
venues:question_edit                 POST   login   done    404     404     404     404
venues:question_retire               GET    login   405     405     405     405     405
venues:question_retire               POST   login   done    404     404     404     404
venues:question_move                 GET    login   405     405     405     405     405
venues:question_move                 POST   login   done    404     404     404     404
venues:venue                         GET    login   200     200     404     404     404
venues:venue                         POST   login   200     200     404     404     404
venues:venue_edit                    GET    login   200     200     404     404     404
venues:venue_edit                    POST   login   done    done    404     404     404
venues:compare                       GET    login   200     200     404     404     404
venues:compare                       POST   login   200     200     404     404     404
venues:group                         GET    login   200     200     200     404     404
venues:group                         POST   login   200     200     200     404     404
venues:choose                        GET    login   200     200     403     404     404
venues:choose                        POST   login   done    done    403     404     404
venues:venue_add                     GET    login   200     200     403     404     404
venues:venue_add                     POST   login   done    done    403     404     404
venues:start                         GET    login   405     405     405     405     405
venues:start                         POST   login   done    done    403     404     404
venues:feedback                      GET    login   403     403     200     404     404
venues:feedback                      POST   login   403     403     done    404     404
venues:feedback_results              GET    login   200     200     403     404     404
venues:feedback_results              POST   login   200     200     403     404     404
venues:assessment                    GET    login   200     200     403     404     404
venues:assessment                    POST   login   200     200     403     404     404
venues:print                         GET    login   200     200     403     404     404
venues:print                         POST   login   200     200     403     404     404
venues:section                       GET    login   200     200     403     404     404
venues:section                       POST   login   done    done    403     404     404
venues:submit                        GET    login   405     405     405     405     405
venues:submit                        POST   login   done    done    403     404     404
venues:action_new                    GET    login   200     200     403     404     404
venues:action_new                    POST   login   done    done    403     404     404
venues:action                        GET    login   200     200     403     404     404
venues:action                        POST   login   done    done    403     404     404
"""

# Column headings of MATRIX: the cast fixture's role each stands for.
COLUMNS = {
    "anon": "anonymous",
    "coord": "coordinator",  # of organisation A
    "facil": "facilitator",  # of group A
    "peer": "peer",  # of group A
    "o_coord": "other_coordinator",  # of organisation B
    "o_peer": "other_peer",  # of group B
}
assert tuple(COLUMNS.values()) == ROLES

OUTCOMES = {"200", "done", "login", "to_home", "to_dash", "403", "404", "405"}
REFUSALS = {"login", "403", "404", "405"}


def _parse(table):
    lines = [line.split() for line in table.strip().splitlines()]
    header, rows = lines[0], lines[1:]
    assert tuple(header[3:]) == tuple(COLUMNS), header
    parsed = {}
    for row in rows:
        assert len(row) == 2 + len(ROLES), row
        name, method, *outcomes = row
        assert method in ("GET", "POST"), row
        assert set(outcomes) <= OUTCOMES, row
        assert (name, method) not in parsed, f"duplicate line {name} {method}"
        parsed[name, method] = dict(zip(ROLES, outcomes, strict=True))
    return parsed


EXPECTED = _parse(MATRIX)
URL_NAMES = sorted({name for name, _method in EXPECTED})

NEW_PASSWORD = "a-brand-new-passphrase-42"
OLD_PASSWORD = "correct-horse-battery"  # tests/builders.py: make_user's default
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


# The world every case starts from -----------------------------------------


@pytest.fixture
def world(cast):
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
    return SimpleNamespace(
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
        # Never shown to outsiders, never in a refusal.
        secrets=[
            cast.group_a.name,
            GROUP_A_PURPOSE,
            cast.org_a.name,
            ROOM,
            ROOM_ACCESS,
            *LEADERS_ONLY,
        ],
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
    review = rule_reviews.record_review(
        group=group,
        by=facilitator,
        held_on=timezone.localdate(),
        participants=4,
        outcome=Review.Outcome.NO_CHANGE,
        notes=REVIEW_NOTES,
        items={rule: (ReviewItem.Working.YES, "") for rule in current_rules},
    )
    breach = rule_reviews.record_breach(
        group=group,
        by=facilitator,
        occurred_on=timezone.localdate() - timedelta(days=3),
        rules=current_rules[:1],
        what_happened=BREACH_TEXT,
        response_taken="A quiet word at the break.",
        follow_up="",
        not_working=False,
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
    )


def _check(group, venue, by, values=None, notes=None, submit=True):
    """A check of `venue` by `group`, every question answered (Yes unless `values` says)."""
    values, notes = values or {}, notes or {}
    assessment = venue_services.start_assessment(group=group, venue=venue, by=by)
    venue_services.save_answers(
        assessment=assessment,
        answers={
            q.pk: (values.get(q.key, Answer.Value.YES), notes.get(q.key, ""))
            for q in venue_services.questions_for(assessment)
        },
    )
    if submit:
        venue_services.submit_assessment(assessment=assessment, by=by)
    assessment.refresh_from_db()
    return assessment


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
    room = Venue.objects.create(
        organisation=org,
        kind=Venue.Kind.PHYSICAL,
        name=ROOM,
        address="12 Mill Lane",
        postcode="AB1 2CD",
        directions="Bus 12 to the library stop.",
        access_notes=ROOM_ACCESS,
    )
    VenueUse.objects.create(venue=room, group=group)
    hall = Venue.objects.create(
        organisation=org, kind=Venue.Kind.PHYSICAL, name=HALL, address="1 Church Street"
    )
    earlier = _check(group, room, facilitator)
    Assessment.objects.filter(pk=earlier.pk).update(
        submitted_at=timezone.now() - timedelta(days=200)
    )
    earlier.refresh_from_db()
    latest = _check(
        group, room, facilitator, values={NO_KEY: Answer.Value.NO}, notes={NO_KEY: NO_NOTE}
    )
    action = venue_services.create_action(
        answer=Answer.objects.get(assessment=latest, question__key=NO_KEY),
        by=facilitator,
        what=ACTION_WHAT,
        owner=facilitator,
        due_on=timezone.localdate() + timedelta(days=30),
        link=LINK,
    )
    in_progress = _check(group, room, facilitator, submit=False)
    for n in range(3):
        former = make_user(f"Former Member {n}", f"former{n}@a.test")
        membership = add_member(group, former)
        venue_services.give_feedback(
            user=former,
            group=group,
            venue=room,
            scores=dict.fromkeys(FeedbackResponse.SCORE_FIELDS, FEEDBACK_SCORE),
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
        feedback_ids=set(FeedbackResponse.objects.values_list("pk", flat=True)),
        # Version 1 of the questions, as (key, text) in order; the "Being safe" keys.
        questions=_questions(template),
        being_safe_keys=[key for key, _text in _questions(template, "being_safe")],
    )


def _membership(w, user):
    return Membership.objects.filter(group=w.cast.group_a, user=user).get()


def _reset_kwargs(w):
    # Made after signing in: the token depends on the peer's last_login.
    peer = get_user_model().objects.get(pk=w.cast.peer.pk)
    return {
        "uidb64": urlsafe_base64_encode(force_bytes(peer.pk)),
        "token": default_token_generator.make_token(peer),
    }


# Effect checks for "done" outcomes: (world, actor, response, client, mail) ----


def _redirects_to(response, url):
    assert response.status_code == 302, response.status_code
    assert response["Location"] == url


def _account_done(w, actor, response, client, mail):
    _redirects_to(response, reverse("account"))
    actor.refresh_from_db()
    assert actor.display_name == "Renamed Person"


def _login_done(w, actor, response, client, mail):
    _redirects_to(response, reverse("home"))
    assert client.session["_auth_user_id"] == str(w.cast.peer.pk)


def _logout_done(w, actor, response, client, mail):
    _redirects_to(response, reverse("login"))
    assert "_auth_user_id" not in client.session


def _password_change_done(w, actor, response, client, mail):
    _redirects_to(response, reverse("password_change_done"))
    actor.refresh_from_db()
    assert actor.check_password(NEW_PASSWORD)


def _reset_email(actor, w):
    return actor.email if actor else w.cast.peer.email


def _password_reset_done(w, actor, response, client, mail):
    _redirects_to(response, reverse("password_reset_done"))
    assert [m.to for m in mail] == [[_reset_email(actor, w)]]
    assert "/accounts/reset/" in mail[0].body


def _password_reset_confirm_done(w, actor, response, client, mail):
    uidb64 = urlsafe_base64_encode(force_bytes(w.cast.peer.pk))
    set_password = reverse(
        "password_reset_confirm", kwargs={"uidb64": uidb64, "token": "set-password"}
    )
    _redirects_to(response, set_password)
    answer = client.post(
        set_password, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    _redirects_to(answer, reverse("password_reset_complete"))
    peer = get_user_model().objects.get(pk=w.cast.peer.pk)
    assert peer.check_password(NEW_PASSWORD)


def _invitation_accept_done(w, actor, response, client, mail):
    _redirects_to(response, reverse("groups:detail", args=[w.cast.group_a.slug]))
    newcomer = get_user_model().objects.get(email=NEWCOMER_EMAIL)
    assert newcomer.display_name == "Newcomer"
    assert Membership.objects.filter(
        group=w.cast.group_a, user=newcomer, left_at__isnull=True, role=Membership.Role.PEER
    ).exists()
    w.accept_invitation.refresh_from_db()
    assert w.accept_invitation.accepted_by == newcomer
    assert client.session["_auth_user_id"] == str(newcomer.pk)


def _edit_done(w, actor, response, client, mail):
    _redirects_to(response, reverse("groups:detail", args=[w.cast.group_a.slug]))
    group = Group.objects.get(pk=w.cast.group_a.pk)
    assert (group.name, group.format, group.meeting_time) == (
        "Group A (Tuesdays)",
        Group.Format.HYBRID,
        "Tuesdays 7pm",
    )
    assert set(GroupNeed.objects.filter(group=group).values_list("need", flat=True)) == {
        GroupNeed.Need.STEP_FREE
    }


def _archive_done(w, actor, response, client, mail):
    _redirects_to(response, reverse("groups:organisation", args=[w.cast.org_a.slug]))
    assert Group.objects.get(pk=w.cast.group_a.pk).archived_at is not None
    # Pending invitations to an archived group stop working.
    w.group_invitation.refresh_from_db()
    assert w.group_invitation.revoked_at is not None


def _restore_done(w, actor, response, client, mail):
    _redirects_to(response, reverse("groups:detail", args=[w.cast.group_a.slug]))
    assert Group.objects.get(pk=w.cast.group_a.pk).archived_at is None


def _member_remove_done(w, actor, response, client, mail):
    _redirects_to(response, reverse("groups:members", args=[w.cast.group_a.slug]))
    w.peer_membership.refresh_from_db()
    assert w.peer_membership.left_at is not None
    assert w.peer_membership.ending == Membership.Ending.REMOVED
    assert mail == []  # the removed person is not emailed


def _leave_done(w, actor, response, client, mail):
    _redirects_to(response, reverse("home"))
    own = _membership(w, actor)
    assert own.left_at is not None
    assert own.ending == Membership.Ending.LEFT


def _invitations_done(w, actor, response, client, mail):
    _redirects_to(response, reverse("groups:invitations", args=[w.cast.group_a.slug]))
    invitation = Invitation.objects.get(email="invitee@a.test")
    assert (invitation.group, invitation.role, invitation.invited_by) == (
        w.cast.group_a,
        Invitation.Role.PEER,
        actor,
    )
    assert [m.to for m in mail] == [["invitee@a.test"]]
    for secret in w.secrets:  # an email may be read over someone's shoulder
        assert secret not in mail[0].subject
        assert secret not in mail[0].body


def _invitation_revoke_done(w, actor, response, client, mail):
    _redirects_to(response, reverse("groups:invitations", args=[w.cast.group_a.slug]))
    w.group_invitation.refresh_from_db()
    assert w.group_invitation.revoked_at is not None


def _group_create_done(w, actor, response, client, mail):
    created = Group.objects.get(organisation=w.cast.org_a, name="Evening Circle")
    _redirects_to(response, reverse("groups:invitations", args=[created.slug]))
    assert created.format == Group.Format.ONLINE
    assert "evening" not in created.slug  # slugs are opaque


def _coordinators_done(w, actor, response, client, mail):
    _redirects_to(response, reverse("groups:coordinators", args=[w.cast.org_a.slug]))
    invitation = Invitation.objects.get(email="another-organiser@a.test")
    assert (invitation.organisation, invitation.group, invitation.role) == (
        w.cast.org_a,
        None,
        Invitation.Role.COORDINATOR,
    )
    assert [m.to for m in mail] == [["another-organiser@a.test"]]


def _coordinator_invitation_revoke_done(w, actor, response, client, mail):
    _redirects_to(response, reverse("groups:coordinators", args=[w.cast.org_a.slug]))
    w.coordinator_invitation.refresh_from_db()
    assert w.coordinator_invitation.revoked_at is not None


# Ground rules effects ---------------------------------------------------------


def _rules_url(name, w, *args):
    return reverse(f"groundrules:{name}", args=[w.cast.group_a.slug, *args])


def _draft_texts(w):
    found = Version.objects.get(group=w.cast.group_a, status=Version.Status.DRAFT)
    return list(found.rules.order_by("position", "id").values_list("text", flat=True))


def _private_mail_to(w, mail, people, link):
    """One email each to exactly `people`, with the link, naming nothing of group A."""
    assert sorted(m.to for m in mail) == sorted([person.email] for person in people)
    for message in mail:
        assert link in message.body
        for secret in w.secrets:
            assert secret not in message.subject
            assert secret not in message.body


def _absolute(url):
    return f"http://testserver{url}"


RULEBOOK_FORM = {
    "want_rules": "yes",
    "advantages": "Everyone knows where they stand.",
    "who_writes": "The whole group, together",
    "how_shared": "Read out at the start of each meeting",
    "if_broken": "A quiet word from a facilitator",
    "review_every_months": 12,
}
STARTER_KEYS = ["listen", "time-out"]
NEW_RULE = "Listen without interrupting."
EDITED_RULE = "Speak for yourself, and only for yourself."
NEW_PROPOSAL = "Offer tea at the break."
NEW_COMMENT = "Yes, let us try it for a month."
ADOPT_OUTCOME = "Talked it through at the meeting; adopted by everyone present."
WITHDRAW_OUTCOME = "The group wants more time to talk about it."
NEW_BREACH = "A phone rang during a share."


def _start_done(w, actor, response, client, mail):
    # The group has versions already, so back to its rules (not to the starters).
    _redirects_to(response, _rules_url("home", w))
    rulebook = Rulebook.objects.get(group=w.cast.group_a)
    assert (rulebook.want_rules, rulebook.who_writes, rulebook.review_every_months) == (
        Rulebook.WantRules.YES,
        RULEBOOK_FORM["who_writes"],
        12,
    )


def _no_rules_yet(w):
    """Starters are for a group's first draft: group A without its ground rules."""
    group = w.cast.group_a
    Review.objects.filter(group=group).delete()
    Breach.objects.filter(group=group).delete()
    Version.objects.filter(group=group).delete()


def _starters_done(w, actor, response, client, mail):
    _redirects_to(response, _rules_url("draft", w))
    # The group's first version: a draft of the chosen starters.
    version = Version.objects.get(group=w.cast.group_a)
    assert (version.number, version.status, version.created_by) == (
        1,
        Version.Status.DRAFT,
        actor,
    )
    assert _draft_texts(w) == [str(STARTERS_BY_KEY[key][1]) for key in STARTER_KEYS]


def _delete_draft(w):
    Version.objects.filter(pk=w.rules.draft.pk).delete()


def _draft_new_done(w, actor, response, client, mail):
    _redirects_to(response, _rules_url("draft", w))
    new = Version.objects.get(group=w.cast.group_a, status=Version.Status.DRAFT)
    # Started from the version that is with the group: its rules, same lineages.
    assert (new.based_on, new.created_by, new.number) == (w.rules.round, actor, 3)
    copied = list(new.rules.order_by("position").values_list("lineage", "text"))
    assert copied == list(w.rules.round.rules.order_by("position").values_list("lineage", "text"))


def _rule_add_done(w, actor, response, client, mail):
    _redirects_to(response, _rules_url("draft", w))
    assert _draft_texts(w) == [*CURRENT_RULES, ROUND_RULE, DRAFT_RULE, NEW_RULE]
    assert Rule.objects.get(text=NEW_RULE).category == Category.RESPECT


def _rule_edit_done(w, actor, response, client, mail):
    _redirects_to(response, _rules_url("draft", w))
    rule = Rule.objects.get(uuid=w.rules.draft_rule.uuid)
    assert (rule.version_id, rule.text, rule.category) == (
        w.rules.draft.pk,
        EDITED_RULE,
        Category.RESPECT,
    )


def _rule_delete_done(w, actor, response, client, mail):
    _redirects_to(response, _rules_url("draft", w))
    assert not Rule.objects.filter(uuid=w.rules.draft_rule.uuid).exists()
    assert _draft_texts(w) == [*CURRENT_RULES, ROUND_RULE]


def _rule_move_done(w, actor, response, client, mail):
    _redirects_to(response, _rules_url("draft", w))
    assert _draft_texts(w) == [*CURRENT_RULES, DRAFT_RULE, ROUND_RULE]


def _proposal_new_done(w, actor, response, client, mail):
    proposal = Proposal.objects.get(text=NEW_PROPOSAL)
    _redirects_to(response, _rules_url("proposal", w, proposal.uuid))
    assert (proposal.group, proposal.proposed_by, proposal.kind, proposal.status) == (
        w.cast.group_a,
        actor,
        Proposal.Kind.ADD,
        Proposal.Status.OPEN,
    )


def _proposal_comment_done(w, actor, response, client, mail):
    _redirects_to(response, _rules_url("proposal", w, w.rules.proposal.uuid))
    comment = ProposalComment.objects.get(proposal=w.rules.proposal)
    assert (comment.author, comment.text) == (actor, NEW_COMMENT)


def _proposal_decide_done(w, actor, response, client, mail):
    link = _rules_url("proposal", w, w.rules.proposal.uuid)
    _redirects_to(response, link)
    proposal = Proposal.objects.get(pk=w.rules.proposal.pk)
    assert (proposal.status, proposal.decided_by) == (Proposal.Status.ACCEPTED, actor)
    assert _draft_texts(w) == [*CURRENT_RULES, ROUND_RULE, DRAFT_RULE, PROPOSED_RULE]
    _private_mail_to(w, mail, [w.cast.peer], _absolute(link))  # the peer suggested it


def _withdraw_round(w):
    """No version may be with the group when another is put to it."""
    rule_services.withdraw_round(version=w.rules.round, by=w.cast.facilitator, outcome="")


def _round_open_done(w, actor, response, client, mail):
    number = w.rules.draft.number
    _redirects_to(response, _rules_url("tracker", w, number))
    version = Version.objects.get(pk=w.rules.draft.pk)
    assert (version.status, version.round_opened_by) == (Version.Status.IN_ROUND, actor)
    assert version.content_hash == hash_rules(version.rules.order_by("position", "id"))
    members = [w.cast.facilitator, w.cast.peer]
    _private_mail_to(w, mail, members, _absolute(_rules_url("answer", w, number)))


def _answer_done(w, actor, response, client, mail):
    _redirects_to(response, _rules_url("home", w))
    agreement = Agreement.objects.get(version=w.rules.round, user=actor)
    assert (agreement.answer, agreement.content_hash) == (
        Agreement.Answer.AGREE,
        w.rules.round.content_hash,
    )


def _remind_done(w, actor, response, client, mail):
    number = w.rules.round.number
    _redirects_to(response, _rules_url("tracker", w, number))
    # Nobody has answered version 2 yet: both members are reminded.
    members = [w.cast.facilitator, w.cast.peer]
    _private_mail_to(w, mail, members, _absolute(_rules_url("answer", w, number)))


def _adopt_done(w, actor, response, client, mail):
    _redirects_to(response, _rules_url("home", w))
    version = Version.objects.get(pk=w.rules.round.pk)
    assert (version.status, version.closed_by, version.outcome) == (
        Version.Status.ADOPTED,
        actor,
        ADOPT_OUTCOME,
    )
    assert Version.objects.get(pk=w.rules.current.pk).status == Version.Status.SUPERSEDED
    members = [w.cast.facilitator, w.cast.peer]
    _private_mail_to(w, mail, members, _absolute(_rules_url("home", w)))


def _withdraw_done(w, actor, response, client, mail):
    _redirects_to(response, _rules_url("draft", w))
    version = Version.objects.get(pk=w.rules.round.pk)
    assert (version.status, version.closed_by, version.outcome) == (
        Version.Status.WITHDRAWN,
        actor,
        WITHDRAW_OUTCOME,
    )
    # The draft (already started from version 2) carries on; no second draft.
    assert Version.objects.get(group=w.cast.group_a, status=Version.Status.DRAFT) == (w.rules.draft)


def _reviews_done(w, actor, response, client, mail):
    _redirects_to(response, _rules_url("reviews", w))
    assert Rulebook.objects.get(group=w.cast.group_a).review_every_months == 12


def _review_form(w, actor):
    data = {
        "held_on": timezone.localdate().isoformat(),
        "participants": 5,
        "outcome": Review.Outcome.NO_CHANGE,
        "notes": "Second look.",
    }
    for rule in w.rules.current_rules:
        data[f"rule_{rule.pk}_working"] = ReviewItem.Working.NOT_SURE
        data[f"rule_{rule.pk}_notes"] = ""
    return data


def _review_new_done(w, actor, response, client, mail):
    _redirects_to(response, _rules_url("reviews", w))
    review = Review.objects.exclude(pk=w.rules.review.pk).get()
    assert (review.group, review.version, review.recorded_by, review.participants) == (
        w.cast.group_a,
        w.rules.current,
        actor,
        5,
    )
    assert {(i.rule, i.working) for i in review.items.all()} == {
        (rule, ReviewItem.Working.NOT_SURE) for rule in w.rules.current_rules
    }


def _breach_form(w, actor):
    return {
        "occurred_on": timezone.localdate().isoformat(),
        "rules": [w.rules.current_rules[1].pk],
        "what_happened": NEW_BREACH,
        "response_taken": "A reminder at the break.",
        "follow_up": "",
    }


def _breaches_done(w, actor, response, client, mail):
    _redirects_to(response, _rules_url("breaches", w))
    breach = Breach.objects.get(what_happened=NEW_BREACH)
    assert (breach.group, breach.recorded_by, breach.not_working) == (w.cast.group_a, actor, False)
    assert list(breach.rules.all()) == [w.rules.current_rules[1]]


def _breach_delete_done(w, actor, response, client, mail):
    _redirects_to(response, _rules_url("breaches", w))
    assert not Breach.objects.filter(pk=w.rules.breach.pk).exists()


# Venues effects -----------------------------------------------------------------

NEW_VENUE = "Quaker Meeting House"
NEW_ACCESS = "Level access through the garden gate."
NEW_VENUE_FORM = {
    "kind": Venue.Kind.PHYSICAL,
    "name": NEW_VENUE,
    "address": "3 Friars Walk",
    "postcode": "AB3 4EF",
    "directions": "",
    "access_notes": "",
    "join_info": "",
}
NEW_QUESTION = "Is there somewhere to leave coats and bags safely?"
EDITED_QUESTION = "Is someone from the venue on hand if there is a difficulty?"
EDITED_KEY = "staffed"  # the question edited and retired
MOVED_KEY = "public-transport"  # second in "Being safe": moved up to first
SECTION_KEY = "large-enough"  # answered Partly in the check in progress
SECTION_NOTE = "Tight once more than ten people come."
NEW_ACTION = "Put a sign on the door asking for quiet."
CLOSING_NOTE = "The centre moved us to the back room."
FEEDBACK_FORM = {
    **dict.fromkeys(FeedbackResponse.SCORE_FIELDS, 2),
    "comment": "The corridor is busy when we arrive.",
}


def _venue_url(name, w, *args):
    return reverse(f"venues:{name}", args=[w.cast.group_a.slug, *args])


def _questions(template, section=None):
    found = template.questions.order_by("section", "position")
    if section:
        found = found.filter(section=section)
    return list(found.values_list("key", "text"))


def _new_version(w, actor):
    """Organisation A's questions now: version 2, made by the actor. Version 1 is untouched."""
    templates = list(Template.objects.filter(organisation=w.cast.org_a).order_by("version"))
    assert [(t.version, t.created_by) for t in templates] == [(1, None), (2, actor)]
    assert templates[0].pk == w.venues.template.pk
    assert _questions(templates[0]) == w.venues.questions
    # Past checks keep the questions they were answered against.
    assert set(Assessment.objects.values_list("template", flat=True)) == {templates[0].pk}
    return templates[1]


def _venue_new_done(w, actor, response, client, mail):
    venue = Venue.objects.get(name=NEW_VENUE)
    _redirects_to(response, reverse("venues:venue", args=[venue.uuid]))
    assert (venue.organisation, venue.kind, venue.postcode) == (
        w.cast.org_a,
        Venue.Kind.PHYSICAL,
        "AB3 4EF",
    )
    assert not venue.groups.exists()


def _question_add_done(w, actor, response, client, mail):
    _redirects_to(response, reverse("venues:questions", args=[w.cast.org_a.slug]))
    version = _new_version(w, actor)
    added = version.questions.get(text=NEW_QUESTION)
    assert (added.section, added.applies_to, added.critical) == ("being_safe", "physical", False)
    assert added.key.startswith("custom-")
    # Every question is kept; the new one comes last in its section.
    being_safe = [(k, t) for k, t in w.venues.questions if k in w.venues.being_safe_keys]
    feeling_safe = [(k, t) for k, t in w.venues.questions if k not in w.venues.being_safe_keys]
    assert _questions(version) == [*being_safe, (added.key, NEW_QUESTION), *feeling_safe]


def _question_edit_done(w, actor, response, client, mail):
    _redirects_to(response, reverse("venues:questions", args=[w.cast.org_a.slug]))
    version = _new_version(w, actor)
    assert _questions(version) == [
        (key, EDITED_QUESTION if key == EDITED_KEY else text) for key, text in w.venues.questions
    ]
    edited = version.questions.get(key=EDITED_KEY)
    assert (edited.section, edited.applies_to, edited.critical) == (
        "being_safe",
        "physical",
        True,
    )


def _question_retire_done(w, actor, response, client, mail):
    _redirects_to(response, reverse("venues:questions", args=[w.cast.org_a.slug]))
    version = _new_version(w, actor)
    assert _questions(version) == [(k, t) for k, t in w.venues.questions if k != EDITED_KEY]


def _question_move_done(w, actor, response, client, mail):
    _redirects_to(response, reverse("venues:questions", args=[w.cast.org_a.slug]))
    version = _new_version(w, actor)
    keys = [key for key, _text in _questions(version, "being_safe")]
    first, second, *rest = w.venues.being_safe_keys
    assert second == MOVED_KEY
    assert keys == [second, first, *rest]


def _venue_add_done(w, actor, response, client, mail):
    _redirects_to(response, _venue_url("group", w))
    venue = Venue.objects.get(name=NEW_VENUE)
    assert (venue.organisation, venue.kind, venue.postcode) == (
        w.cast.org_a,
        Venue.Kind.PHYSICAL,
        "AB3 4EF",
    )
    # Group A meets there now, as well as in its room.
    assert set(w.cast.group_a.venues.all()) == {w.venues.room, venue}


def _venue_edit_done(w, actor, response, client, mail):
    _redirects_to(response, reverse("venues:venue", args=[w.venues.room.uuid]))
    room = Venue.objects.get(pk=w.venues.room.pk)
    assert (room.name, room.access_notes, room.organisation) == (ROOM, NEW_ACCESS, w.cast.org_a)


def _choose_done(w, actor, response, client, mail):
    _redirects_to(response, _venue_url("group", w))
    assert set(VenueUse.objects.filter(group=w.cast.group_a).values_list("venue", flat=True)) == {
        w.venues.room.pk,
        w.venues.hall.pk,
    }


def _drop_check_in_progress(w):
    Assessment.objects.filter(pk=w.venues.in_progress.pk).delete()


def _venue_start_done(w, actor, response, client, mail):
    started = Assessment.objects.get(group=w.cast.group_a, submitted_at__isnull=True)
    _redirects_to(response, _venue_url("assessment", w, started.uuid))
    assert (started.venue, started.template, started.started_by) == (
        w.venues.room,
        w.venues.template,
        actor,
    )
    assert not started.answers.exists()


def _section_form(w, actor):
    data = {}
    for q in venue_services.questions_for(w.venues.in_progress):
        if q.section == "being_safe":
            partly = q.key == SECTION_KEY
            data[f"q{q.pk}"] = Answer.Value.PARTLY if partly else Answer.Value.YES
            data[f"q{q.pk}_note"] = SECTION_NOTE if partly else ""
    return data


def _section_done(w, actor, response, client, mail):
    _redirects_to(response, _venue_url("assessment", w, w.venues.in_progress.uuid))
    answers = Answer.objects.filter(assessment=w.venues.in_progress)
    assert {(a.question.key, a.value, a.note) for a in answers if a.value != "yes"} == {
        (SECTION_KEY, Answer.Value.PARTLY, SECTION_NOTE)
    }
    assert answers.count() == len(venue_services.questions_for(w.venues.in_progress))
    assert Assessment.objects.get(pk=w.venues.in_progress.pk).submitted_at is None


def _submit_done(w, actor, response, client, mail):
    _redirects_to(response, _venue_url("assessment", w, w.venues.in_progress.uuid))
    submitted = Assessment.objects.get(pk=w.venues.in_progress.pk)
    assert submitted.submitted_at is not None
    assert (submitted.submitted_by, submitted.critical_flag) == (actor, False)
    assert (submitted.being_safe_score, submitted.feeling_safe_score) == (100, 100)


def _action_new_done(w, actor, response, client, mail):
    action = Action.objects.get(what=NEW_ACTION)
    _redirects_to(response, _venue_url("action", w, action.uuid))
    assert (action.answer.question.key, action.answer.assessment, action.group, action.venue) == (
        NO_KEY,
        w.venues.latest,
        w.cast.group_a,
        w.venues.room,
    )
    assert (action.owner, action.created_by, action.status) == (
        w.cast.facilitator,
        actor,
        Action.Status.OPEN,
    )
    if actor == w.cast.facilitator:
        assert mail == []  # nobody is told about an action they gave themselves
    else:
        _private_mail_to(w, mail, [w.cast.facilitator], _absolute(_venue_url("group", w)))


def _action_done(w, actor, response, client, mail):
    _redirects_to(response, _venue_url("action", w, w.venues.action.uuid))
    action = Action.objects.get(pk=w.venues.action.pk)
    assert (action.status, action.closing_note) == (Action.Status.DONE, CLOSING_NOTE)
    assert action.closed_at is not None


def _feedback_done(w, actor, response, client, mail):
    _redirects_to(response, _venue_url("group", w))
    room, period = w.venues.room, venue_services.current_period()
    receipts = FeedbackReceipt.objects.filter(user=actor, group=w.cast.group_a, venue=room)
    assert list(receipts.values_list("period", flat=True)) == [period]
    given = FeedbackResponse.objects.exclude(pk__in=w.venues.feedback_ids).get()
    assert (given.group, given.venue, given.period, given.comment) == (
        w.cast.group_a,
        room,
        period,
        FEEDBACK_FORM["comment"],
    )
    assert [getattr(given, f) for f in FeedbackResponse.SCORE_FIELDS] == [2] * 5
    # Once a quarter: answering again is turned away and changes nothing.
    before = database_state()
    again = client.post(_venue_url("feedback", w, room.uuid), FEEDBACK_FORM)
    assert again.status_code == 200
    assert "You have already answered this quarter" in again.content.decode()
    assert database_state() == before


# What each URL is pointed at, what a POST sends, what a 200 page must show ----


def _group_kwargs(w):
    return {"slug": w.cast.group_a.slug}


def _org_kwargs(w):
    return {"slug": w.cast.org_a.slug}


GROUP_FORM = {
    "name": "Group A (Tuesdays)",
    "purpose": "Carers meeting on Tuesdays",
    "format": Group.Format.HYBRID,
    "meeting_time": "Tuesdays 7pm",
    "meeting_place": "Room 2",
    "needs": [GroupNeed.Need.STEP_FREE],
    "other_needs": "",
    "upheld_by": Group.UpheldBy.FACILITATORS,
}


def _long_date(day):
    return dateformat.format(day, "j F Y")


def _month(moment):
    return dateformat.format(timezone.localdate(moment), "F Y")


def _trend_scores(check):
    """A month's row of the trends' venue scores, for a month with one check."""
    return (
        f'<th scope="row">{_month(check.submitted_at)}</th>'
        f"<td>{round(check.being_safe_score)}%</td><td>{round(check.feeling_safe_score)}%</td>"
        "<td>1</td>"
    )


def _group_names_for(w, role):
    if role in INSIDERS:
        return [w.cast.group_a.name]
    if role in OUTSIDERS:
        return [w.cast.group_b.name]
    return []


@dataclass(frozen=True)
class Page:
    kwargs: Callable = lambda w: {}
    post: Callable = lambda w, actor: {}
    effect: Callable | None = None
    # Strings a 200 answer must contain, given (world, role, actor).
    shows: Callable = lambda w, role, actor: []
    # Run before signing in (e.g. archive the group to test restoring it).
    setup: Callable | None = None
    # True when the URL points at a group-A/organisation-A object: outsiders
    # must get the same answer as for an object that does not exist.
    private_object: bool = False


PAGES = {
    "home": Page(shows=lambda w, role, actor: [actor.display_name, *_group_names_for(w, role)]),
    "help": Page(shows=lambda w, role, actor: ["Samaritans", "999"]),
    "account": Page(
        post=lambda w, actor: {"display_name": "Renamed Person"},
        effect=_account_done,
        shows=lambda w, role, actor: [actor.email, actor.display_name],
    ),
    "login": Page(
        post=lambda w, actor: {"username": w.cast.peer.email, "password": OLD_PASSWORD},
        effect=_login_done,
        shows=lambda w, role, actor: ["Sign in", "Email address"],
    ),
    "logout": Page(effect=_logout_done),
    "password_change": Page(
        post=lambda w, actor: {
            "old_password": OLD_PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
        effect=_password_change_done,
        shows=lambda w, role, actor: ['name="old_password"'],
    ),
    "password_change_done": Page(),
    "password_reset": Page(
        post=lambda w, actor: {"email": _reset_email(actor, w)},
        effect=_password_reset_done,
        shows=lambda w, role, actor: ["Reset your password"],
    ),
    "password_reset_done": Page(),
    "password_reset_confirm": Page(kwargs=_reset_kwargs, effect=_password_reset_confirm_done),
    "password_reset_complete": Page(),
    "invitation_accept": Page(
        kwargs=lambda w: {"token": ACCEPT_TOKEN},
        post=lambda w, actor: {
            "display_name": "Newcomer",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
        effect=_invitation_accept_done,
        # The link holder is told what they are joining.
        shows=lambda w, role, actor: [f"Join {w.cast.group_a.name}", NEWCOMER_EMAIL],
    ),
    "groups:list": Page(shows=lambda w, role, actor: _group_names_for(w, role)),
    "groups:detail": Page(
        kwargs=_group_kwargs,
        private_object=True,
        shows=lambda w, role, actor: [
            w.cast.group_a.name,
            GROUP_A_PURPOSE,
            w.cast.facilitator.display_name,
        ],
    ),
    "groups:edit": Page(
        kwargs=_group_kwargs,
        private_object=True,
        post=lambda w, actor: GROUP_FORM,
        effect=_edit_done,
        shows=lambda w, role, actor: [w.cast.group_a.name, GROUP_A_PURPOSE],
    ),
    "groups:archive": Page(
        kwargs=_group_kwargs,
        private_object=True,
        effect=_archive_done,
        shows=lambda w, role, actor: ["Archive this group?", w.cast.group_a.name],
    ),
    "groups:restore": Page(
        kwargs=_group_kwargs,
        private_object=True,
        effect=_restore_done,
        setup=lambda w: Group.objects.filter(pk=w.cast.group_a.pk).update(
            archived_at=timezone.now()
        ),
    ),
    "groups:members": Page(
        kwargs=_group_kwargs,
        private_object=True,
        shows=lambda w, role, actor: [
            w.cast.facilitator.display_name,
            w.cast.peer.display_name,
            "2 current members",
        ],
    ),
    "groups:member_remove": Page(
        kwargs=lambda w: {"slug": w.cast.group_a.slug, "membership": w.peer_membership.uuid},
        private_object=True,
        effect=_member_remove_done,
        shows=lambda w, role, actor: [f"Remove {w.cast.peer.display_name} from the group?"],
    ),
    "groups:leave": Page(
        kwargs=_group_kwargs,
        private_object=True,
        effect=_leave_done,
        shows=lambda w, role, actor: ["Leave this group?", w.cast.group_a.name],
    ),
    "groups:invitations": Page(
        kwargs=_group_kwargs,
        private_object=True,
        post=lambda w, actor: {"email": "invitee@a.test", "role": Invitation.Role.PEER},
        effect=_invitations_done,
        shows=lambda w, role, actor: [w.cast.group_a.name, w.group_invitation.email],
    ),
    "groups:invitation_revoke": Page(
        kwargs=lambda w: {"slug": w.cast.group_a.slug, "invitation": w.group_invitation.uuid},
        private_object=True,
        effect=_invitation_revoke_done,
    ),
    "groups:organisation": Page(
        kwargs=_org_kwargs,
        private_object=True,
        shows=lambda w, role, actor: [w.cast.org_a.name, w.cast.group_a.name],
    ),
    "groups:group_create": Page(
        kwargs=_org_kwargs,
        private_object=True,
        post=lambda w, actor: {**GROUP_FORM, "name": "Evening Circle", "format": "online"},
        effect=_group_create_done,
        shows=lambda w, role, actor: [w.cast.org_a.name, "Create a group"],
    ),
    "groups:coordinators": Page(
        kwargs=_org_kwargs,
        private_object=True,
        post=lambda w, actor: {"email": "another-organiser@a.test"},
        effect=_coordinators_done,
        shows=lambda w, role, actor: [
            w.cast.coordinator.display_name,
            w.coordinator_invitation.email,
        ],
    ),
    "groups:coordinator_invitation_revoke": Page(
        kwargs=lambda w: {"slug": w.cast.org_a.slug, "invitation": w.coordinator_invitation.uuid},
        private_object=True,
        effect=_coordinator_invitation_revoke_done,
    ),
    # Ground rules: every URL points at group A's real rows (see _ground_rules).
    "groundrules:home": Page(
        kwargs=_group_kwargs,
        private_object=True,
        shows=lambda w, role, actor: [
            "Version 1, adopted on",
            *CURRENT_RULES,
            "Version 2 is with the group for agreement",
            "1 open suggestion",
        ],
    ),
    "groundrules:versions": Page(
        kwargs=_group_kwargs,
        private_object=True,
        shows=lambda w, role, actor: [
            "Every version",
            *(f'rules/versions/{n}/">Version {n}</a>' for n in (1, 2, 3)),
            "Put to the group",
        ],
    ),
    "groundrules:version": Page(
        kwargs=lambda w: {"slug": w.cast.group_a.slug, "number": w.rules.current.number},
        private_object=True,
        shows=lambda w, role, actor: ["Ground rules, version 1", *CURRENT_RULES],
    ),
    "groundrules:compare": Page(
        kwargs=_group_kwargs,
        private_object=True,
        # By default the two newest versions: the draft against the round.
        shows=lambda w, role, actor: ["Compare two versions", f"<ins>{DRAFT_RULE}</ins>"],
    ),
    "groundrules:print": Page(
        kwargs=_group_kwargs,
        private_object=True,
        shows=lambda w, role, actor: [f"{w.cast.group_a.name}: our ground rules", *CURRENT_RULES],
    ),
    "groundrules:handout": Page(
        kwargs=_group_kwargs,
        private_object=True,
        shows=lambda w, role, actor: [
            f"Welcome to {w.cast.group_a.name}",
            *CURRENT_RULES,
            "116 123",
        ],
    ),
    "groundrules:start": Page(
        kwargs=_group_kwargs,
        private_object=True,
        post=lambda w, actor: RULEBOOK_FORM,
        effect=_start_done,
        shows=lambda w, role, actor: ["Getting started with ground rules", 'name="who_writes"'],
    ),
    "groundrules:starters": Page(
        kwargs=_group_kwargs,
        private_object=True,
        setup=_no_rules_yet,
        post=lambda w, actor: {"starters": STARTER_KEYS},
        effect=_starters_done,
        shows=lambda w, role, actor: ["Start your first draft", 'value="stays-here"'],
    ),
    "groundrules:draft": Page(
        kwargs=_group_kwargs,
        private_object=True,
        shows=lambda w, role, actor: [
            "Draft (version 3)",
            "Changes are shown against version 2.",
            f"<ins>{DRAFT_RULE}</ins>",
            *(
                ["Add to the draft", "Put this draft to the group"]
                if role == "facilitator"
                else ["Your facilitators edit the draft. To change it, make a suggestion."]
            ),
        ],
    ),
    "groundrules:draft_new": Page(
        kwargs=_group_kwargs,
        private_object=True,
        setup=_delete_draft,
        effect=_draft_new_done,
    ),
    "groundrules:rule_add": Page(
        kwargs=_group_kwargs,
        private_object=True,
        post=lambda w, actor: fields(NEW_RULE, Category.RESPECT),
        effect=_rule_add_done,
        shows=lambda w, role, actor: ["Add a rule to the draft", 'name="text"'],
    ),
    "groundrules:rule_edit": Page(
        kwargs=lambda w: {"slug": w.cast.group_a.slug, "rule": w.rules.draft_rule.uuid},
        private_object=True,
        post=lambda w, actor: fields(EDITED_RULE, Category.RESPECT),
        effect=_rule_edit_done,
        shows=lambda w, role, actor: ["Edit a rule in the draft", DRAFT_RULE],
    ),
    "groundrules:rule_delete": Page(
        kwargs=lambda w: {"slug": w.cast.group_a.slug, "rule": w.rules.draft_rule.uuid},
        private_object=True,
        shows=lambda w, role, actor: ["Take this rule out of the draft?", "Keep it"],
        effect=_rule_delete_done,
    ),
    "groundrules:rule_move": Page(
        kwargs=lambda w: {"slug": w.cast.group_a.slug, "rule": w.rules.draft_rule.uuid},
        private_object=True,
        post=lambda w, actor: {"direction": "up"},
        effect=_rule_move_done,
    ),
    "groundrules:proposals": Page(
        kwargs=_group_kwargs,
        private_object=True,
        shows=lambda w, role, actor: [
            f"Add a rule: {PROPOSED_RULE}",
            f"Suggested by {w.cast.peer.display_name}",
        ],
    ),
    "groundrules:proposal_new": Page(
        kwargs=_group_kwargs,
        private_object=True,
        post=lambda w, actor: {
            "kind": Proposal.Kind.ADD,
            "text": NEW_PROPOSAL,
            "category": Category.OTHER,
            "reason": "It helps people settle.",
        },
        effect=_proposal_new_done,
        shows=lambda w, role, actor: ["Suggest a change to the ground rules", 'name="reason"'],
    ),
    "groundrules:proposal": Page(
        kwargs=lambda w: {"slug": w.cast.group_a.slug, "proposal": w.rules.proposal.uuid},
        private_object=True,
        shows=lambda w, role, actor: [
            PROPOSED_RULE,
            PROPOSAL_REASON,
            *(["Add comment"] if role != "coordinator" else []),
            *(["Save decision"] if role == "facilitator" else []),
        ],
    ),
    "groundrules:proposal_comment": Page(
        kwargs=lambda w: {"slug": w.cast.group_a.slug, "proposal": w.rules.proposal.uuid},
        private_object=True,
        post=lambda w, actor: {"text": NEW_COMMENT},
        effect=_proposal_comment_done,
    ),
    "groundrules:proposal_decide": Page(
        kwargs=lambda w: {"slug": w.cast.group_a.slug, "proposal": w.rules.proposal.uuid},
        private_object=True,
        post=lambda w, actor: {"decision": "accept", "reason": ""},
        effect=_proposal_decide_done,
    ),
    "groundrules:round_open": Page(
        kwargs=lambda w: {"slug": w.cast.group_a.slug, "number": w.rules.draft.number},
        private_object=True,
        setup=_withdraw_round,
        effect=_round_open_done,
    ),
    "groundrules:tracker": Page(
        kwargs=lambda w: {"slug": w.cast.group_a.slug, "number": w.rules.round.number},
        private_object=True,
        shows=lambda w, role, actor: [
            "Agreement to version 2",
            "0 of 2 current members agree.",
            *(
                ["Who has answered", w.cast.facilitator.display_name, w.cast.peer.display_name]
                if role in ("coordinator", "facilitator")
                else []
            ),
            *(["Adopt this version", "Email a reminder"] if role == "facilitator" else []),
        ],
    ),
    "groundrules:answer": Page(
        kwargs=lambda w: {"slug": w.cast.group_a.slug, "number": w.rules.round.number},
        private_object=True,
        post=lambda w, actor: {
            "answer": Agreement.Answer.AGREE,
            "comment": "",
            "visibility": Agreement.Visibility.FACILITATORS,
            "content_hash": w.rules.round.content_hash,
        },
        effect=_answer_done,
        shows=lambda w, role, actor: [
            "Please read version 2 of the ground rules",
            *CURRENT_RULES,
            ROUND_RULE,
            f'name="content_hash" value="{w.rules.round.content_hash}"',
        ],
    ),
    "groundrules:remind": Page(
        kwargs=lambda w: {"slug": w.cast.group_a.slug, "number": w.rules.round.number},
        private_object=True,
        effect=_remind_done,
    ),
    "groundrules:adopt": Page(
        kwargs=lambda w: {"slug": w.cast.group_a.slug, "number": w.rules.round.number},
        private_object=True,
        post=lambda w, actor: {"outcome": ADOPT_OUTCOME},
        effect=_adopt_done,
    ),
    "groundrules:withdraw": Page(
        kwargs=lambda w: {"slug": w.cast.group_a.slug, "number": w.rules.round.number},
        private_object=True,
        post=lambda w, actor: {"outcome": WITHDRAW_OUTCOME},
        effect=_withdraw_done,
    ),
    "groundrules:reviews": Page(
        kwargs=_group_kwargs,
        private_object=True,
        post=lambda w, actor: {"review_every_months": 12},
        effect=_reviews_done,
        shows=lambda w, role, actor: [
            f"Review on {_long_date(w.rules.review.held_on)}",
            "Next review due by",
            *(
                ["Record a review", "How often the group reviews its rules"]
                if role == "facilitator"
                else []
            ),
        ],
    ),
    "groundrules:review_new": Page(
        kwargs=_group_kwargs,
        private_object=True,
        post=_review_form,
        effect=_review_new_done,
        shows=lambda w, role, actor: [
            "Record a review of the ground rules",
            *(f"“{text}” – is it working?" for text in CURRENT_RULES),
        ],
    ),
    "groundrules:review": Page(
        kwargs=lambda w: {"slug": w.cast.group_a.slug, "review": w.rules.review.uuid},
        private_object=True,
        shows=lambda w, role, actor: [
            f"Review on {_long_date(w.rules.review.held_on)}",
            REVIEW_NOTES,
            *CURRENT_RULES,
        ],
    ),
    "groundrules:breaches": Page(
        kwargs=_group_kwargs,
        private_object=True,
        post=_breach_form,
        effect=_breaches_done,
        shows=lambda w, role, actor: [
            "Confidential: only facilitators and coordinators can see this log.",
            BREACH_TEXT,
            "Record a rule being broken",
        ],
    ),
    "groundrules:breach_delete": Page(
        kwargs=lambda w: {"slug": w.cast.group_a.slug, "breach": w.rules.breach.uuid},
        private_object=True,
        shows=lambda w, role, actor: ["Delete the record of", "Keep it"],
        effect=_breach_delete_done,
    ),
    # Dashboard pages: organisation A, where group A is the only group.
    "dashboard": Page(
        kwargs=_org_kwargs,
        private_object=True,
        shows=lambda w, role, actor: [
            "Group safety dashboard",
            w.cast.org_a.name,
            "Showing 1 group.",
            f'{reverse("safety", args=[w.cast.group_a.slug])}">{w.cast.group_a.name}</a>',
            w.cast.facilitator.display_name,
            f"{FEEDBACK_SCORE}.0 of 5 (3 answers)",
            "1 open",
        ],
    ),
    "dashboard_csv": Page(
        kwargs=_org_kwargs,
        private_object=True,
        shows=lambda w, role, actor: [
            "group,format,facilitators,current_members,rules_status,",
            # 2 members, version 2 in a round, version 1 agreed by both, nobody has answered 2.
            f"{w.cast.group_a.name},in_person,{w.cast.facilitator.display_name},2,round,1,2,0,",
            # No critical No; peers' 3 answers; 1 open action, none overdue; 1 breach.
            f",no,{FEEDBACK_SCORE}.0,3,1,0,1,",
        ],
    ),
    "dashboard_print": Page(
        kwargs=_org_kwargs,
        private_object=True,
        shows=lambda w, role, actor: [
            f"{w.cast.org_a.name}: group safety",
            f'<th scope="row">{w.cast.group_a.name}</th>',
            f"{FEEDBACK_SCORE}.0 of 5 (3 answers)",
        ],
    ),
    "trends": Page(
        kwargs=_org_kwargs,
        private_object=True,
        shows=lambda w, role, actor: [
            "Trends over the last 12 months",
            f"{w.cast.org_a.name}: safety dashboard",
            # The room's two checks, in the months they were submitted ...
            *(_trend_scores(check) for check in (w.venues.earlier, w.venues.latest)),
            # ... and the action opened this month.
            f'<th scope="row">{_month(timezone.now())}</th><td>1</td><td>0</td>',
        ],
    ),
    "safety": Page(
        kwargs=_group_kwargs,
        private_object=True,
        shows=lambda w, role, actor: [
            "Safety at a glance",
            w.cast.group_a.name,
            ROOM,
            f"{FEEDBACK_SCORE}.0 out of 5, from 3 anonymous answers this quarter",
            "1 open",
        ],
    ),
    # Venues: organisation A's library and questions, group A's room and checks.
    "venues:library": Page(
        kwargs=_org_kwargs,
        private_object=True,
        shows=lambda w, role, actor: [
            "Venues and platforms",
            f'{reverse("venues:venue", args=[w.venues.room.uuid])}">{ROOM}</a>',
            HALL.replace("'", "&#x27;"),
            "Add a venue or platform",
        ],
    ),
    "venues:venue_new": Page(
        kwargs=_org_kwargs,
        private_object=True,
        post=lambda w, actor: NEW_VENUE_FORM,
        effect=_venue_new_done,
        shows=lambda w, role, actor: ["Add a venue or platform", 'name="access_notes"'],
    ),
    "venues:questions": Page(
        kwargs=_org_kwargs,
        private_object=True,
        shows=lambda w, role, actor: [
            "Venue questions",
            "Version 1. Every change makes a new version",
            *(html_escape(text) for _key, text in w.venues.questions),
        ],
    ),
    "venues:question_add": Page(
        kwargs=_org_kwargs,
        private_object=True,
        post=lambda w, actor: {
            "section": "being_safe",
            "applies_to": "physical",
            "need": "",
            "text": NEW_QUESTION,
            "help_text": "",
        },
        effect=_question_add_done,
        shows=lambda w, role, actor: ["Add a question", 'name="text"', "Save as a new version"],
    ),
    "venues:question_edit": Page(
        kwargs=lambda w: {"slug": w.cast.org_a.slug, "key": EDITED_KEY},
        private_object=True,
        post=lambda w, actor: {
            "section": "being_safe",
            "applies_to": "physical",
            "need": "",
            "text": EDITED_QUESTION,
            "help_text": "",
            "critical": "on",
        },
        effect=_question_edit_done,
        shows=lambda w, role, actor: [
            "Edit a question",
            dict(w.venues.questions)[EDITED_KEY],
            "Save as a new version",
        ],
    ),
    "venues:question_retire": Page(
        kwargs=lambda w: {"slug": w.cast.org_a.slug, "key": EDITED_KEY},
        private_object=True,
        effect=_question_retire_done,
    ),
    "venues:question_move": Page(
        kwargs=lambda w: {"slug": w.cast.org_a.slug, "key": MOVED_KEY},
        private_object=True,
        post=lambda w, actor: {"direction": "up"},
        effect=_question_move_done,
    ),
    "venues:venue": Page(
        kwargs=lambda w: {"venue": w.venues.room.uuid},
        private_object=True,
        shows=lambda w, role, actor: [
            f"<h1>{ROOM}</h1>",
            ROOM_ACCESS,
            w.cast.group_a.name,  # meets here
            ACTION_WHAT,
            "In progress",
            "Compare two assessments",
            "Edit details",
        ],
    ),
    "venues:venue_edit": Page(
        kwargs=lambda w: {"venue": w.venues.room.uuid},
        private_object=True,
        post=lambda w, actor: {
            "kind": Venue.Kind.PHYSICAL,
            "name": ROOM,
            "address": "12 Mill Lane",
            "postcode": "AB1 2CD",
            "directions": "Bus 12 to the library stop.",
            "access_notes": NEW_ACCESS,
            "join_info": "",
        },
        effect=_venue_edit_done,
        shows=lambda w, role, actor: ["Edit venue", ROOM, ROOM_ACCESS],
    ),
    "venues:compare": Page(
        kwargs=lambda w: {"venue": w.venues.room.uuid},
        private_object=True,
        # The two checks of the room: only the No has changed.
        shows=lambda w, role, actor: [
            "Compare two assessments",
            html_escape(dict(w.venues.questions)[NO_KEY])
            + ' <strong class="status-tag">Changed</strong>',
        ],
    ),
    "venues:group": Page(
        kwargs=_group_kwargs,
        private_object=True,
        shows=lambda w, role, actor: [
            "Where we meet",
            ROOM,
            ROOM_ACCESS,
            *(["How safe do you feel here? (anonymous)"] if role == "peer" else []),
            *(
                ["Carry on with the check", "Peers' answers", ACTION_WHAT]
                if role in ("coordinator", "facilitator")
                else []
            ),
        ],
    ),
    "venues:choose": Page(
        kwargs=_group_kwargs,
        private_object=True,
        post=lambda w, actor: {"venues": [w.venues.room.pk, w.venues.hall.pk]},
        effect=_choose_done,
        shows=lambda w, role, actor: [
            "Where the group meets",
            f'name="venues" value="{w.venues.room.pk}"',
            f'name="venues" value="{w.venues.hall.pk}"',
            ROOM,
            HALL.replace("'", "&#x27;"),
        ],
    ),
    "venues:venue_add": Page(
        kwargs=_group_kwargs,
        private_object=True,
        post=lambda w, actor: NEW_VENUE_FORM,
        effect=_venue_add_done,
        shows=lambda w, role, actor: [
            "Add a venue or platform",
            f"{w.cast.group_a.name}: where we meet",
            'name="access_notes"',
        ],
    ),
    "venues:start": Page(
        kwargs=lambda w: {"slug": w.cast.group_a.slug, "venue": w.venues.room.uuid},
        private_object=True,
        setup=_drop_check_in_progress,
        effect=_venue_start_done,
    ),
    "venues:feedback": Page(
        kwargs=lambda w: {"slug": w.cast.group_a.slug, "venue": w.venues.room.uuid},
        private_object=True,
        post=lambda w, actor: FEEDBACK_FORM,
        effect=_feedback_done,
        shows=lambda w, role, actor: [
            f"How safe do you feel at {ROOM}?",
            'name="safe_to_talk"',
            "Send anonymously",
        ],
    ),
    "venues:feedback_results": Page(
        kwargs=lambda w: {"slug": w.cast.group_a.slug, "venue": w.venues.room.uuid},
        private_object=True,
        shows=lambda w, role, actor: [
            f"How safe peers feel at {ROOM} ({venue_services.current_period()})",
            f"3 people answered. Overall: {FEEDBACK_SCORE}.0 out of 5.",
            FEEDBACK_COMMENT,
        ],
    ),
    "venues:assessment": Page(
        kwargs=lambda w: {"slug": w.cast.group_a.slug, "assessment": w.venues.latest.uuid},
        private_object=True,
        shows=lambda w, role, actor: [
            f"Check of {ROOM}",
            "Answers that need attention",
            f"<strong>No</strong> – {NO_NOTE}",
            ACTION_WHAT,
            "Make this an action",
        ],
    ),
    "venues:print": Page(
        kwargs=lambda w: {"slug": w.cast.group_a.slug, "assessment": w.venues.latest.uuid},
        private_object=True,
        shows=lambda w, role, actor: [
            f"Venue check: {ROOM}",
            w.cast.group_a.name,
            f"<strong>No</strong> – {NO_NOTE}",
        ],
    ),
    "venues:section": Page(
        kwargs=lambda w: {
            "slug": w.cast.group_a.slug,
            "assessment": w.venues.in_progress.uuid,
            "section": "being_safe",
        },
        private_object=True,
        post=_section_form,
        effect=_section_done,
        shows=lambda w, role, actor: [
            f"Being safe: {ROOM}",
            *(
                f'name="q{q.pk}"'
                for q in venue_services.questions_for(w.venues.in_progress)
                if q.section == "being_safe"
            ),
        ],
    ),
    "venues:submit": Page(
        kwargs=lambda w: {"slug": w.cast.group_a.slug, "assessment": w.venues.in_progress.uuid},
        private_object=True,
        effect=_submit_done,
    ),
    "venues:action_new": Page(
        kwargs=lambda w: {
            "slug": w.cast.group_a.slug,
            "assessment": w.venues.latest.uuid,
            "question": NO_KEY,
        },
        private_object=True,
        post=lambda w, actor: {
            "what": NEW_ACTION,
            "owner": w.cast.facilitator.pk,
            "due_on": (timezone.localdate() + timedelta(days=14)).isoformat(),
        },
        effect=_action_new_done,
        shows=lambda w, role, actor: ["Turn this answer into an action", NO_NOTE, 'name="what"'],
    ),
    "venues:action": Page(
        kwargs=lambda w: {"slug": w.cast.group_a.slug, "action": w.venues.action.uuid},
        private_object=True,
        post=lambda w, actor: {"status": Action.Status.DONE, "note": CLOSING_NOTE},
        effect=_action_done,
        shows=lambda w, role, actor: [
            ACTION_WHAT,
            ROOM,
            w.cast.facilitator.display_name,  # who will do it
            "Close this action",
        ],
    ),
}


# Helpers -------------------------------------------------------------------


def database_state():
    """Every row of every model, so that "nothing changed" means exactly that."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values())
        for model in apps.get_models()
    }


def _bogus(kwargs):
    """The same URL arguments, pointing at objects that do not exist."""

    def bogus(value):
        if isinstance(value, uuid.UUID):
            return uuid.uuid4()
        if isinstance(value, int):
            return value + 1000
        return "doesnotexist"

    return {key: bogus(value) for key, value in kwargs.items()}


def _text(response):
    return response.content.decode() + "\n" + response.get("Location", "")


_CSRF_TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*"')


def _page(response):
    """The response body, without the masked CSRF token (different on every page)."""
    return _CSRF_TOKEN.sub(rb'\1"', response.content)


CASES = [
    pytest.param(name, method, role, id=f"{name}-{method}-{role}")
    for (name, method), by_role in EXPECTED.items()
    for role in by_role
]


# The matrix ------------------------------------------------------------------


@pytest.mark.parametrize(("name", "method", "role"), CASES)
def test_permission_matrix(
    name, method, role, world, client, mailoutbox, django_capture_on_commit_callbacks
):
    expected = EXPECTED[name, method][role]
    page = PAGES[name]
    if page.setup:
        page.setup(world)
    actor = getattr(world.cast, role, None)
    if actor is not None:
        client.force_login(actor)
        actor.refresh_from_db()
    kwargs = page.kwargs(world)
    url = reverse(name, kwargs=kwargs)
    data = page.post(world, actor) if method == "POST" else None

    before = database_state()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data) if method == "POST" else client.get(url)

    if expected == "done":
        assert page.effect is not None, f"{name} has no effect check"
        page.effect(world, actor, response, client, mailoutbox)
        return

    # Everything that is not a successful action changes nothing and sends nothing.
    assert database_state() == before, f"{name} {method} as {role} changed the database"
    assert mailoutbox == []
    body = _text(response)

    if expected == "login":
        assert response.status_code == 302
        location = urlsplit(response["Location"])
        assert location.path == reverse("login")
        assert parse_qs(location.query) == {"next": [url]}
    elif expected == "to_home":
        assert response.status_code == 302
        assert response["Location"] == reverse("home")
    elif expected == "to_dash":
        organisation = {"coordinator": world.cast.org_a, "other_coordinator": world.cast.org_b}
        assert response.status_code == 302
        assert response["Location"] == reverse("dashboard", args=[organisation[role].slug])
    else:
        assert response.status_code == int(expected), (
            f"{name} {method} as {role}: {response.status_code}, expected {expected}"
        )

    if expected == "200":
        for text in page.shows(world, role, actor):
            assert text in body, f"{text!r} missing from {name} {method} as {role}"

    if expected in REFUSALS:
        for secret in world.secrets:
            assert secret not in body, f"{name} {method} as {role} leaks {secret!r}"

    # Nobody ever sees another cast member's email address.
    for person in (getattr(world.cast, r) for r in ROLES[1:]):
        if person != actor:
            assert person.email not in body, f"{name} {method} as {role} shows {person.email}"

    # The breach log is confidential to facilitators and coordinators: no other
    # page, and no refusal, shows what was recorded in it.
    if role not in ("coordinator", "facilitator"):
        assert BREACH_TEXT not in body, f"{name} {method} as {role} shows the breach log"
        # ... nor a venue check's notes, its actions, or peers' anonymous comments.
        for secret in LEADERS_ONLY:
            assert secret not in body, f"{name} {method} as {role} shows {secret!r}"

    if role in OUTSIDERS:
        # Outsiders see nothing of group A: not its name, purpose or
        # organisation, not who is in it.
        members = [world.cast.coordinator, world.cast.facilitator, world.cast.peer]
        for secret in [*world.secrets, *(m.display_name for m in members)]:
            assert secret not in body, f"{name} {method} as {role} shows {secret!r}"
        # ... and cannot tell group A exists: the refusal is exactly the
        # answer for a group that does not.
        if page.private_object:
            bogus_url = reverse(name, kwargs=_bogus(kwargs))
            other = client.post(bogus_url, data) if method == "POST" else client.get(bogus_url)
            assert (other.status_code, _page(other)) == (response.status_code, _page(response))
            assert database_state() == before


# The newcomer gate ------------------------------------------------------------

# NewcomerMiddleware.EXEMPT_URL_NAMES, as far as ground rules pages go.
GATE_EXEMPT = {"groundrules:answer", "groundrules:print", "groundrules:handout"}


@pytest.mark.parametrize("name", [name for name in URL_NAMES if name.startswith("groundrules:")])
def test_newcomer_gate_sends_members_who_have_not_answered_to_the_rules(name, world, client):
    """The matrix's members have answered version 1. A peer who has not is sent,
    on any GET of a ground rules page (even a POST-only one), to read and answer
    the current rules first; only the answer page itself and the print-outs are
    let through. Nothing changes on the way."""
    Agreement.objects.filter(version=world.rules.current, user=world.cast.peer).delete()
    client.force_login(world.cast.peer)
    url = reverse(name, kwargs=PAGES[name].kwargs(world))

    before = database_state()
    response = client.get(url)
    assert database_state() == before
    if name in GATE_EXEMPT:
        assert response.status_code == int(EXPECTED[name, "GET"]["peer"])
    else:
        _redirects_to(response, _rules_url("answer", world, world.rules.current.number))


# Completeness ------------------------------------------------------------------

EXCLUDED_NAMESPACES = {"admin"}  # Django's admin site: see the note above MATRIX.


def _url_patterns(patterns, namespace=None):
    """(qualified name, URLPattern) for every pattern outside the excluded namespaces."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in EXCLUDED_NAMESPACES:
                continue
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _url_patterns(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            assert pattern.name, f"URL pattern {pattern.pattern} has no name"
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern


def _url_names():
    return {name for name, _pattern in _url_patterns(get_resolver().url_patterns)}


def test_matrix_covers_every_url_pattern():
    names = _url_names()
    assert "groups:detail" in names and "password_reset_confirm" in names  # the walk works
    missing = names - set(URL_NAMES)
    assert not missing, f"URL names missing from the permission matrix: {sorted(missing)}"
    stale = set(URL_NAMES) - names
    assert not stale, f"Matrix lines for URL names that no longer exist: {sorted(stale)}"


def test_every_matrix_line_has_both_methods_and_a_page_spec():
    for name in URL_NAMES:
        assert (name, "GET") in EXPECTED and (name, "POST") in EXPECTED, name
        assert name in PAGES, name
    assert set(PAGES) == set(URL_NAMES)
    for (name, _method), by_role in EXPECTED.items():
        if "done" in by_role.values():
            assert PAGES[name].effect is not None, f"{name} needs an effect check"


def test_admin_site_refuses_the_cast(cast, client_for):
    for person in [None, cast.coordinator, cast.facilitator, cast.peer, cast.other_coordinator]:
        response = client_for(person).get("/admin/")
        assert response.status_code == 302, person
        assert urlsplit(response["Location"]).path == "/admin/login/"
