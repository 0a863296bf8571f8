"""Helpers for the ground rules tests, offered as one fixture: `gr`.

`gr.draft(...)`, `gr.put_to_group(...)`, `gr.adopt(...)` build versions through
the service layer (on-commit emails do not fire here, so set-up never fills
the outbox). `gr.state()` is a snapshot of every ground rules row, used to
check that a refused request changed nothing.
"""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from groundrules import services
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
)
from groups.models import Membership

LINK = "https://safespace.test/link/"


def fields(text, category=Category.OTHER, why="", if_broken=""):
    return {"text": text, "why": why, "category": category, "if_broken": if_broken}


def draft(group, by, texts=None):
    """The group's draft; with `texts`, its rules are replaced by exactly those."""
    version = services.start_draft(group=group, by=by)
    if texts is not None:
        version.rules.all().delete()
        for text in texts:
            services.add_rule(version=version, fields=fields(text))
    return version


def put_to_group(group, by, texts=None):
    version = draft(group, by, texts)
    return services.open_round(version=version, by=by, link=LINK)


def answer(version, user, answer="agree", comment="", visibility="facilitators"):
    return services.record_agreement(
        version=version,
        user=user,
        answer=answer,
        comment=comment,
        visibility=visibility,
        seen_hash=version.content_hash,
    )


def adopt(group, by, texts=None, agreeing=(), outcome="Agreed at the meeting."):
    version = put_to_group(group, by, texts)
    for user in agreeing:
        answer(version, user)
    return services.adopt_version(version=version, by=by, outcome=outcome, link=LINK)


def url(name, group, *args):
    return reverse(f"groundrules:{name}", args=[group.slug, *args])


def state():
    """Every ground rules row (and memberships), in a comparable form."""

    def rows(model, *names):
        return list(model.objects.order_by("pk").values_list("pk", *names))

    return {
        "versions": rows(
            Version, "group_id", "number", "status", "content_hash", "outcome", "notes", "closed_at"
        ),
        "rules": rows(
            Rule, "version_id", "lineage", "position", "text", "why", "category", "if_broken"
        ),
        "proposals": rows(Proposal, "status", "decision_reason", "decided_by_id"),
        "comments": rows(ProposalComment, "proposal_id", "text"),
        "agreements": rows(
            Agreement,
            "version_id",
            "user_id",
            "answer",
            "comment",
            "visibility",
            "content_hash",
            "updated",
        ),
        "rulebooks": rows(
            Rulebook,
            "review_every_months",
            "want_rules",
            "advantages",
            "who_writes",
            "how_shared",
            "if_broken",
            "review_reminder_sent_for",
        ),
        "reviews": rows(Review, "version_id", "held_on", "outcome", "notes"),
        "review_items": rows(ReviewItem, "review_id", "rule_id", "working"),
        "breaches": rows(Breach, "group_id", "occurred_on", "what_happened", "not_working"),
        "breach_rules": rows(Breach.rules.through, "breach_id", "rule_id"),
        "memberships": rows(Membership, "group_id", "user_id", "role", "left_at"),
    }


@pytest.fixture
def gr(db):
    return SimpleNamespace(
        LINK=LINK,
        fields=fields,
        draft=draft,
        put_to_group=put_to_group,
        answer=answer,
        adopt=adopt,
        url=url,
        state=state,
    )
