"""Read queries for ground rules. Callers pass a group already scoped to the user."""

import difflib

from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.db.models.functions import Lower

from groups.models import Membership

from .models import Agreement, Proposal, ProposalComment, Rule, Version


def versions_of(group):
    return Version.objects.filter(group=group).annotate(rule_count=Count("rules"))


def version_with_rules(group, number):
    return (
        Version.objects.filter(group=group, number=number)
        .prefetch_related(Prefetch("rules", queryset=Rule.objects.order_by("position", "id")))
        .first()
    )


def version_by_status(group, status):
    return (
        Version.objects.filter(group=group, status=status)
        .prefetch_related(Prefetch("rules", queryset=Rule.objects.order_by("position", "id")))
        .first()
    )


def members_with_answers(version):
    """Current members, each with their answer to `version` (or None), in one query."""
    answers = Agreement.objects.filter(
        version=version, user=OuterRef("user"), content_hash=version.content_hash
    )
    return (
        Membership.objects.filter(group=version.group_id, left_at__isnull=True)
        .select_related("user")
        .annotate(
            answer=Subquery(answers.values("answer")[:1]),
            answer_comment=Subquery(answers.values("comment")[:1]),
            answer_visibility=Subquery(answers.values("visibility")[:1]),
            answered_at=Subquery(answers.values("updated")[:1]),
        )
        .order_by(Lower("user__display_name"))
    )


def tally(members) -> dict:
    members = list(members)
    agreed = sum(1 for m in members if m.answer == Agreement.Answer.AGREE)
    talk = sum(1 for m in members if m.answer == Agreement.Answer.TALK)
    return {
        "members": len(members),
        "agreed": agreed,
        "talk": talk,
        "waiting": len(members) - agreed - talk,
        "everyone_agreed": bool(members) and agreed == len(members),
    }


def group_comments(version):
    """Comments members chose to share with the whole group (names shown)."""
    return (
        Agreement.objects.filter(
            version=version,
            answer=Agreement.Answer.TALK,
            visibility=Agreement.Visibility.GROUP,
        )
        .select_related("user")
        .order_by("updated")
    )


def own_answer(version, user):
    return Agreement.objects.filter(
        version=version, user=user, content_hash=version.content_hash
    ).first()


def proposals_of(group):
    return (
        Proposal.objects.filter(group=group)
        .select_related("proposed_by", "decided_by")
        .annotate(comment_count=Count("comments"))
        .order_by("-created")
    )


def proposal_comments(proposal):
    return ProposalComment.objects.filter(proposal=proposal).select_related("author")


def newcomers_waiting(group, version):
    """Current members who have not answered the current version yet."""
    if version is None:
        return Membership.objects.none()
    answered = Agreement.objects.filter(version=version, content_hash=version.content_hash).values(
        "user_id"
    )
    return (
        Membership.objects.filter(group=group, left_at__isnull=True)
        .exclude(user_id__in=answered)
        .select_related("user")
        .order_by(Lower("user__display_name"))
    )


def open_proposal_count(group) -> int:
    return Proposal.objects.filter(group=group, status=Proposal.Status.OPEN).count()


def rule_diff(old_rules, new_rules):
    """Rule-by-rule difference between two versions, matched by lineage."""
    old = {r.lineage: r for r in old_rules}
    new = {r.lineage: r for r in new_rules}
    rows = []
    for rule in new_rules:
        before = old.get(rule.lineage)
        if before is None:
            rows.append({"change": "added", "new": rule, "old": None})
        elif before.content() != rule.content():
            changed = [k for k, v in rule.content().items() if before.content()[k] != v]
            rows.append(
                {
                    "change": "changed",
                    "new": rule,
                    "old": before,
                    "fields": changed,
                    "words": word_diff(before.text, rule.text),
                }
            )
        else:
            rows.append({"change": "same", "new": rule, "old": before})
    for rule in old_rules:
        if rule.lineage not in new:
            rows.append({"change": "removed", "new": None, "old": rule})
    return rows


def word_diff(before: str, after: str):
    """Word-by-word changes from `before` to `after`, as (kind, text) pairs."""
    old_words, new_words = before.split(), after.split()
    parts = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(("same", " ".join(old_words[a1:a2])))
            continue
        if a2 > a1:
            parts.append(("removed", " ".join(old_words[a1:a2])))
        if b2 > b1:
            parts.append(("added", " ".join(new_words[b1:b2])))
    return parts
