"""Matrix page specs: the ground rules pages, each pointed at group A's real rows
(see world.py: _ground_rules).
"""

from groundrules.models import Agreement, Category, Proposal
from tests.builders import fields, round_seen
from tests.matrix.effects_groundrules import (
    ADOPT_OUTCOME,
    EDITED_RULE,
    NEW_COMMENT,
    NEW_PROPOSAL,
    NEW_RULE,
    ROUND_CLOSES_ON,
    RULEBOOK_FORM,
    STARTER_KEYS,
    TALKED_ABOUT_NOTE,
    WITHDRAW_OUTCOME,
    adopt_done,
    answer_done,
    breach_delete_done,
    breach_form,
    breaches_done,
    delete_draft,
    draft_new_done,
    no_rules_yet,
    proposal_comment_done,
    proposal_decide_done,
    proposal_new_done,
    remind_done,
    review_form,
    review_new_done,
    reviews_done,
    round_open_done,
    rule_add_done,
    rule_delete_done,
    rule_edit_done,
    rule_move_done,
    start_done,
    starters_done,
    talked_about_done,
    withdraw_done,
    withdraw_round,
)
from tests.matrix.page import Page, group_kwargs, long_date, stamp
from tests.matrix.world import (
    BREACH_TEXT,
    CURRENT_RULES,
    DRAFT_RULE,
    PROPOSAL_REASON,
    PROPOSED_RULE,
    REVIEW_NOTES,
    ROUND_RULE,
)

RULES_PAGES = {
    "groundrules:home": Page(
        kwargs=group_kwargs,
        private_object=True,
        shows=lambda w, role, actor: [
            "Version 1. Agreed by all 2 members on",
            *CURRENT_RULES,
            "Version 2 is with the group for agreement",
            "1 open suggestion",
        ],
    ),
    "groundrules:versions": Page(
        kwargs=group_kwargs,
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
        kwargs=group_kwargs,
        private_object=True,
        # By default the two newest versions: the draft against the round.
        shows=lambda w, role, actor: ["Compare two versions", f"<ins>{DRAFT_RULE}</ins>"],
    ),
    "groundrules:print": Page(
        kwargs=group_kwargs,
        private_object=True,
        shows=lambda w, role, actor: [f"{w.cast.group_a.name}: our ground rules", *CURRENT_RULES],
    ),
    "groundrules:handout": Page(
        kwargs=group_kwargs,
        private_object=True,
        shows=lambda w, role, actor: [
            f"Welcome to {w.cast.group_a.name}",
            *CURRENT_RULES,
            "116 123",
        ],
    ),
    "groundrules:start": Page(
        kwargs=group_kwargs,
        private_object=True,
        post=lambda w, actor: RULEBOOK_FORM,
        effect=start_done,
        shows=lambda w, role, actor: ["Getting started with ground rules", 'name="who_writes"'],
    ),
    "groundrules:starters": Page(
        kwargs=group_kwargs,
        private_object=True,
        setup=no_rules_yet,
        post=lambda w, actor: {"starters": STARTER_KEYS},
        effect=starters_done,
        shows=lambda w, role, actor: ["Start your first draft", 'value="stays-here"'],
    ),
    "groundrules:draft": Page(
        kwargs=group_kwargs,
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
        kwargs=group_kwargs,
        private_object=True,
        setup=delete_draft,
        effect=draft_new_done,
    ),
    "groundrules:rule_add": Page(
        kwargs=group_kwargs,
        private_object=True,
        post=lambda w, actor: fields(NEW_RULE, Category.RESPECT),
        effect=rule_add_done,
        shows=lambda w, role, actor: ["Add a rule to the draft", 'name="text"'],
    ),
    "groundrules:rule_edit": Page(
        kwargs=lambda w: {"slug": w.cast.group_a.slug, "rule": w.rules.draft_rule.uuid},
        private_object=True,
        post=lambda w, actor: {
            **fields(EDITED_RULE, Category.RESPECT),
            "base": stamp(w.rules.draft_rule),
        },
        effect=rule_edit_done,
        shows=lambda w, role, actor: ["Edit a rule in the draft", DRAFT_RULE],
    ),
    "groundrules:rule_delete": Page(
        kwargs=lambda w: {"slug": w.cast.group_a.slug, "rule": w.rules.draft_rule.uuid},
        private_object=True,
        post=lambda w, actor: {"base": stamp(w.rules.draft_rule)},
        shows=lambda w, role, actor: ["Take this rule out of the draft?", "Keep it"],
        effect=rule_delete_done,
    ),
    "groundrules:rule_move": Page(
        kwargs=lambda w: {"slug": w.cast.group_a.slug, "rule": w.rules.draft_rule.uuid},
        private_object=True,
        post=lambda w, actor: {"direction": "up"},
        effect=rule_move_done,
    ),
    "groundrules:proposals": Page(
        kwargs=group_kwargs,
        private_object=True,
        shows=lambda w, role, actor: [
            f"Add a rule: {PROPOSED_RULE}",
            f"Suggested by {w.cast.peer.display_name}",
        ],
    ),
    "groundrules:proposal_new": Page(
        kwargs=group_kwargs,
        private_object=True,
        post=lambda w, actor: {
            "kind": Proposal.Kind.ADD,
            "text": NEW_PROPOSAL,
            "category": Category.OTHER,
            "reason": "It helps people settle.",
        },
        effect=proposal_new_done,
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
        effect=proposal_comment_done,
    ),
    "groundrules:proposal_decide": Page(
        kwargs=lambda w: {"slug": w.cast.group_a.slug, "proposal": w.rules.proposal.uuid},
        private_object=True,
        post=lambda w, actor: {"decision": "accept", "reason": ""},
        effect=proposal_decide_done,
    ),
    "groundrules:round_open": Page(
        kwargs=lambda w: {"slug": w.cast.group_a.slug, "number": w.rules.draft.number},
        private_object=True,
        setup=withdraw_round,
        post=lambda w, actor: {"closes_on": ROUND_CLOSES_ON().isoformat()},
        effect=round_open_done,
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
        effect=answer_done,
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
        effect=remind_done,
    ),
    "groundrules:adopt": Page(
        kwargs=lambda w: {"slug": w.cast.group_a.slug, "number": w.rules.round.number},
        private_object=True,
        post=lambda w, actor: {"outcome": ADOPT_OUTCOME, "seen": round_seen(w.rules.round)},
        effect=adopt_done,
    ),
    "groundrules:withdraw": Page(
        kwargs=lambda w: {"slug": w.cast.group_a.slug, "number": w.rules.round.number},
        private_object=True,
        post=lambda w, actor: {"outcome": WITHDRAW_OUTCOME, "seen": round_seen(w.rules.round)},
        effect=withdraw_done,
    ),
    "groundrules:talked_about": Page(
        kwargs=lambda w: {
            "slug": w.cast.group_a.slug,
            "number": w.rules.current.number,
            "talk": w.rules.talk.uuid,
        },
        private_object=True,
        post=lambda w, actor: {f"talk-{w.rules.talk.uuid}-note": TALKED_ABOUT_NOTE},
        effect=talked_about_done,
    ),
    "groundrules:reviews": Page(
        kwargs=group_kwargs,
        private_object=True,
        post=lambda w, actor: {"review_every_months": 12},
        effect=reviews_done,
        shows=lambda w, role, actor: [
            f"Review on {long_date(w.rules.review.held_on)}",
            "Next review due by",
            *(
                ["Record a review", "How often the group reviews its rules"]
                if role == "facilitator"
                else []
            ),
        ],
    ),
    "groundrules:review_new": Page(
        kwargs=group_kwargs,
        private_object=True,
        post=review_form,
        effect=review_new_done,
        shows=lambda w, role, actor: [
            "Record a review of the ground rules",
            *(f"“{text}” – is it working?" for text in CURRENT_RULES),
        ],
    ),
    "groundrules:review": Page(
        kwargs=lambda w: {"slug": w.cast.group_a.slug, "review": w.rules.review.uuid},
        private_object=True,
        shows=lambda w, role, actor: [
            f"Review on {long_date(w.rules.review.held_on)}",
            REVIEW_NOTES,
            *CURRENT_RULES,
        ],
    ),
    "groundrules:breaches": Page(
        kwargs=group_kwargs,
        private_object=True,
        post=breach_form,
        effect=breaches_done,
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
        effect=breach_delete_done,
    ),
}
