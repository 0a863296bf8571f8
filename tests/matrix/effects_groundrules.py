"""Matrix effect checks for the ground rules pages: what a successful POST did, and
the set-up some of them need first.
"""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from groundrules import services as rule_services
from groundrules.models import (
    Agreement,
    Breach,
    Category,
    Proposal,
    ProposalComment,
    Review,
    ReviewItem,
    RoundReminder,
    Rule,
    Rulebook,
    TalkRequest,
    Version,
    hash_rules,
)
from groundrules.starters import STARTERS_BY_KEY
from tests.matrix.page import absolute, private_mail_to, redirects_to
from tests.matrix.world import CURRENT_RULES, DRAFT_RULE, PROPOSED_RULE, ROUND_RULE


def rules_url(name, w, *args):
    return reverse(f"groundrules:{name}", args=[w.cast.group_a.slug, *args])


def draft_texts(w):
    found = Version.objects.get(group=w.cast.group_a, status=Version.Status.DRAFT)
    return list(found.rules.order_by("position", "id").values_list("text", flat=True))


RULEBOOK_FORM = {
    "want_rules": "yes",
    "advantages": "Everyone knows where they stand.",
    "who_writes": "The whole group, together",
    "how_shared": "Read out at the start of each meeting",
    "if_broken": "A quiet word from a facilitator",
    "review_every_months": 12,
    "upheld_by": "facilitators",
    "suggestions_from": "everyone",
}
STARTER_KEYS = ["listen", "time-out"]
NEW_RULE = "Listen without interrupting."
EDITED_RULE = "Speak for yourself, and only for yourself."
NEW_PROPOSAL = "Offer tea at the break."
NEW_COMMENT = "Yes, let us try it for a month."
ADOPT_OUTCOME = "Talked it through at the meeting; adopted by everyone present."
WITHDRAW_OUTCOME = "The group wants more time to talk about it."
NEW_BREACH = "A phone rang during a share."
TALKED_ABOUT_NOTE = "We agreed what counts at the last meeting."


def ROUND_CLOSES_ON():  # noqa: N802 (a date worked out when the test runs)
    return timezone.localdate() + timedelta(days=14)


def start_done(w, actor, response, client, mail):
    # The group has versions already, so back to its rules (not to the starters).
    redirects_to(response, rules_url("home", w))
    rulebook = Rulebook.objects.get(group=w.cast.group_a)
    assert (rulebook.want_rules, rulebook.who_writes, rulebook.review_every_months) == (
        Rulebook.WantRules.YES,
        RULEBOOK_FORM["who_writes"],
        12,
    )


def no_rules_yet(w):
    """Starters are for a group's first draft: group A without its ground rules."""
    group = w.cast.group_a
    Review.objects.filter(group=group).delete()
    Breach.objects.filter(group=group).delete()
    Version.objects.filter(group=group).delete()


def starters_done(w, actor, response, client, mail):
    redirects_to(response, rules_url("draft", w))
    # The group's first version: a draft of the chosen starters.
    version = Version.objects.get(group=w.cast.group_a)
    assert (version.number, version.status, version.created_by) == (
        1,
        Version.Status.DRAFT,
        actor,
    )
    assert draft_texts(w) == [str(STARTERS_BY_KEY[key][1]) for key in STARTER_KEYS]


def delete_draft(w):
    Version.objects.filter(pk=w.rules.draft.pk).delete()


def draft_new_done(w, actor, response, client, mail):
    redirects_to(response, rules_url("draft", w))
    new = Version.objects.get(group=w.cast.group_a, status=Version.Status.DRAFT)
    # Started from the version that is with the group: its rules, same lineages.
    assert (new.based_on, new.created_by, new.number) == (w.rules.round, actor, 3)
    copied = list(new.rules.order_by("position").values_list("lineage", "text"))
    assert copied == list(w.rules.round.rules.order_by("position").values_list("lineage", "text"))


def rule_add_done(w, actor, response, client, mail):
    redirects_to(response, rules_url("draft", w))
    assert draft_texts(w) == [*CURRENT_RULES, ROUND_RULE, DRAFT_RULE, NEW_RULE]
    assert Rule.objects.get(text=NEW_RULE).category == Category.RESPECT


def rule_edit_done(w, actor, response, client, mail):
    redirects_to(response, rules_url("draft", w))
    rule = Rule.objects.get(uuid=w.rules.draft_rule.uuid)
    assert (rule.version_id, rule.text, rule.category) == (
        w.rules.draft.pk,
        EDITED_RULE,
        Category.RESPECT,
    )


def rule_delete_done(w, actor, response, client, mail):
    redirects_to(response, rules_url("draft", w))
    assert not Rule.objects.filter(uuid=w.rules.draft_rule.uuid).exists()
    assert draft_texts(w) == [*CURRENT_RULES, ROUND_RULE]


def rule_move_done(w, actor, response, client, mail):
    redirects_to(response, rules_url("draft", w))
    assert draft_texts(w) == [*CURRENT_RULES, DRAFT_RULE, ROUND_RULE]


def proposal_new_done(w, actor, response, client, mail):
    proposal = Proposal.objects.get(text=NEW_PROPOSAL)
    redirects_to(response, rules_url("proposal", w, proposal.uuid))
    assert (proposal.group, proposal.proposed_by, proposal.kind, proposal.status) == (
        w.cast.group_a,
        actor,
        Proposal.Kind.ADD,
        Proposal.Status.OPEN,
    )


def proposal_comment_done(w, actor, response, client, mail):
    redirects_to(response, rules_url("proposal", w, w.rules.proposal.uuid))
    comment = ProposalComment.objects.get(proposal=w.rules.proposal)
    assert (comment.author, comment.text) == (actor, NEW_COMMENT)


def proposal_decide_done(w, actor, response, client, mail):
    link = rules_url("proposal", w, w.rules.proposal.uuid)
    redirects_to(response, link)
    proposal = Proposal.objects.get(pk=w.rules.proposal.pk)
    assert (proposal.status, proposal.decided_by) == (Proposal.Status.ACCEPTED, actor)
    assert draft_texts(w) == [*CURRENT_RULES, ROUND_RULE, DRAFT_RULE, PROPOSED_RULE]
    private_mail_to(w, mail, [w.cast.peer], absolute(link))  # the peer suggested it


def withdraw_round(w):
    """No version may be with the group when another is put to it."""
    rule_services.withdraw_round(version=w.rules.round, by=w.cast.facilitator, outcome="")


def round_open_done(w, actor, response, client, mail):
    number = w.rules.draft.number
    redirects_to(response, rules_url("tracker", w, number))
    version = Version.objects.get(pk=w.rules.draft.pk)
    assert (version.status, version.round_opened_by, version.closes_on) == (
        Version.Status.IN_ROUND,
        actor,
        ROUND_CLOSES_ON(),
    )
    assert version.content_hash == hash_rules(version.rules.order_by("position", "id"))
    members = [w.cast.facilitator, w.cast.peer]
    private_mail_to(w, mail, members, absolute(rules_url("answer", w, number)))


def answer_done(w, actor, response, client, mail):
    redirects_to(response, rules_url("home", w))
    agreement = Agreement.objects.get(version=w.rules.round, user=actor)
    assert (agreement.answer, agreement.content_hash) == (
        Agreement.Answer.AGREE,
        w.rules.round.content_hash,
    )


def remind_done(w, actor, response, client, mail):
    number = w.rules.round.number
    redirects_to(response, rules_url("tracker", w, number))
    # Nobody has answered version 2 yet: both members are reminded, but not the sender.
    members = [m for m in (w.cast.facilitator, w.cast.peer) if m != actor]
    private_mail_to(w, mail, members, absolute(rules_url("answer", w, number)))
    reminded = RoundReminder.objects.filter(version=w.rules.round)
    assert sorted(reminded.values_list("member", "sent_by")) == sorted(
        (m.pk, actor.pk) for m in members
    )


def adopt_done(w, actor, response, client, mail):
    redirects_to(response, rules_url("home", w))
    version = Version.objects.get(pk=w.rules.round.pk)
    assert (version.status, version.closed_by, version.outcome) == (
        Version.Status.ADOPTED,
        actor,
        ADOPT_OUTCOME,
    )
    assert Version.objects.get(pk=w.rules.current.pk).status == Version.Status.SUPERSEDED
    members = [w.cast.facilitator, w.cast.peer]
    private_mail_to(w, mail, members, absolute(rules_url("home", w)))


def withdraw_done(w, actor, response, client, mail):
    redirects_to(response, rules_url("draft", w))
    version = Version.objects.get(pk=w.rules.round.pk)
    assert (version.status, version.closed_by, version.outcome) == (
        Version.Status.WITHDRAWN,
        actor,
        WITHDRAW_OUTCOME,
    )
    # The draft (already started from version 2) carries on; no second draft.
    assert Version.objects.get(group=w.cast.group_a, status=Version.Status.DRAFT) == (w.rules.draft)


def reviews_done(w, actor, response, client, mail):
    redirects_to(response, rules_url("reviews", w))
    assert Rulebook.objects.get(group=w.cast.group_a).review_every_months == 12


def review_form(w, actor):
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


def review_new_done(w, actor, response, client, mail):
    redirects_to(response, rules_url("reviews", w))
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


def breach_form(w, actor):
    return {
        "occurred_on": timezone.localdate().isoformat(),
        "rules": [w.rules.current_rules[1].pk],
        "what_happened": NEW_BREACH,
        "response_taken": "A reminder at the break.",
        "follow_up": "",
    }


def breaches_done(w, actor, response, client, mail):
    redirects_to(response, rules_url("breaches", w))
    breach = Breach.objects.get(what_happened=NEW_BREACH)
    assert (breach.group, breach.recorded_by, breach.not_working) == (w.cast.group_a, actor, False)
    assert list(breach.rules.all()) == [w.rules.current_rules[1]]


def breach_delete_done(w, actor, response, client, mail):
    redirects_to(response, rules_url("breaches", w))
    assert not Breach.objects.filter(pk=w.rules.breach.pk).exists()


def talked_about_done(w, actor, response, client, mail):
    redirects_to(response, rules_url("tracker", w, w.rules.current.number))
    talk = TalkRequest.objects.get(pk=w.rules.talk.pk)
    assert (talk.talked_about_by, talk.note) == (actor, TALKED_ABOUT_NOTE)
    assert talk.talked_about_at is not None
