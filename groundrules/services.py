"""State changes for ground rules. Each runs in one transaction.

Concurrency: every change to a version or its rules first locks the version
row, so editing a draft and putting it to the group are serialised: the text
that is hashed when a round opens is exactly the text members answer to.
Whatever creates a version or moves one between statuses (starting a draft,
opening, adopting, withdrawing) first takes `_lock_group_versions`: the group
row, then its versions. So two adoptions cannot both succeed, two people
starting the first draft of a group with no versions get the same one, and
these changes always lock in the same order (no deadlocks between them).
"""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from groups.models import Group, Membership

from . import emails
from .models import Agreement, Proposal, ProposalComment, Rule, Version, hash_rules


class RulesError(Exception):
    """A change that cannot be made; `message` says why in plain words."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def _lock_version(version, *statuses) -> Version:
    locked = Version.objects.select_for_update().get(pk=version.pk)
    if statuses and locked.status not in statuses:
        raise RulesError(
            "This version can no longer be changed: it has been put to the group or replaced."
        )
    return locked


def _lock_group_versions(group_id) -> None:
    """Lock the group row, then every version row of the group (always in that order).

    The group row is what serialises a group with no versions yet; FOR NO KEY UPDATE
    does not hold up inserts of rows that point at the group.
    """
    list(Group.objects.select_for_update(no_key=True).filter(pk=group_id).values_list("pk"))
    list(Version.objects.select_for_update().filter(group=group_id).values_list("pk"))


def _current_member_emails(group):
    return list(
        Membership.objects.filter(group=group, left_at__isnull=True).values_list(
            "user__email", flat=True
        )
    )


def current_version(group):
    return Version.objects.filter(group=group, status=Version.Status.ADOPTED).first()


def _copy_rules(source, target):
    Rule.objects.bulk_create(
        Rule(
            version=target,
            lineage=r.lineage,
            position=r.position,
            text=r.text,
            why=r.why,
            category=r.category,
            if_broken=r.if_broken,
        )
        for r in source.rules.all()
    )


@transaction.atomic
def start_draft(*, group, by, based_on=None) -> Version:
    """The group's draft: the existing one, or a new copy of the current rules."""
    # Two people starting a draft at once get the same one (the partial unique
    # constraint backs this up), even in a group that has no version to lock yet.
    _lock_group_versions(group.pk)
    draft = Version.objects.filter(group=group, status=Version.Status.DRAFT).first()
    if draft:
        return draft
    source = (
        based_on
        or Version.objects.filter(group=group, status=Version.Status.IN_ROUND).first()
        or current_version(group)
    )
    number = (Version.objects.filter(group=group).aggregate(n=Max("number"))["n"] or 0) + 1
    draft = Version.objects.create(
        group=group, number=number, status=Version.Status.DRAFT, based_on=source, created_by=by
    )
    if source is not None:
        _copy_rules(source, draft)
    return draft


def _next_position(version) -> int:
    return (version.rules.aggregate(p=Max("position"))["p"] or 0) + 1


@transaction.atomic
def add_rule(*, version, fields: dict) -> Rule:
    locked = _lock_version(version, Version.Status.DRAFT)
    return Rule.objects.create(version=locked, position=_next_position(locked), **fields)


@transaction.atomic
def update_rule(*, rule, fields: dict) -> Rule:
    _lock_version(rule.version, Version.Status.DRAFT)
    for name, value in fields.items():
        setattr(rule, name, value)
    rule.save()
    return rule


@transaction.atomic
def delete_rule(*, rule) -> None:
    _lock_version(rule.version, Version.Status.DRAFT)
    rule.delete()


@transaction.atomic
def move_rule(*, rule, up: bool) -> None:
    version = _lock_version(rule.version, Version.Status.DRAFT)
    ordered = list(version.rules.order_by("position", "id"))
    index = next(i for i, r in enumerate(ordered) if r.pk == rule.pk)
    swap = index - 1 if up else index + 1
    if 0 <= swap < len(ordered):
        ordered[index], ordered[swap] = ordered[swap], ordered[index]
    for position, item in enumerate(ordered, start=1):
        item.position = position
    Rule.objects.bulk_update(ordered, ["position"])


# Proposals -----------------------------------------------------------------


@transaction.atomic
def propose(*, group, by, kind, target=None, fields=None, reason) -> Proposal:
    fields = fields or {}
    return Proposal.objects.create(
        group=group,
        kind=kind,
        proposed_by=by,
        reason=reason,
        target_lineage=target.lineage if target else None,
        target_text=target.text if target else "",
        **fields,
    )


@transaction.atomic
def add_comment(*, proposal, by, text) -> ProposalComment:
    return ProposalComment.objects.create(proposal=proposal, author=by, text=text)


def _lock_open_proposal(proposal) -> Proposal:
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if locked.status != Proposal.Status.OPEN:
        raise RulesError("This suggestion has already been decided.")
    return locked


@transaction.atomic
def accept_proposal(*, proposal, by, link) -> Version:
    """Apply a proposal to the group's draft (starting one if needed)."""
    locked = _lock_open_proposal(proposal)
    draft = start_draft(group=locked.group, by=by)
    draft = _lock_version(draft, Version.Status.DRAFT)
    content = {
        "text": locked.text,
        "why": locked.why,
        "category": locked.category,
        "if_broken": locked.if_broken,
    }
    if locked.kind == Proposal.Kind.ADD:
        Rule.objects.create(version=draft, position=_next_position(draft), **content)
    else:
        rule = draft.rules.filter(lineage=locked.target_lineage).first()
        if rule is None:
            raise RulesError("The rule this suggestion is about is no longer in the draft.")
        if locked.kind == Proposal.Kind.REMOVE:
            rule.delete()
        else:
            for name, value in content.items():
                setattr(rule, name, value)
            rule.save()
    _decide(locked, by, Proposal.Status.ACCEPTED, "", link)
    return draft


@transaction.atomic
def decline_proposal(*, proposal, by, reason, link) -> None:
    locked = _lock_open_proposal(proposal)
    _decide(locked, by, Proposal.Status.DECLINED, reason, link)


def _decide(proposal, by, status, reason, link):
    proposal.status = status
    proposal.decided_by = by
    proposal.decided_at = timezone.now()
    proposal.decision_reason = reason
    proposal.save()
    if proposal.proposed_by_id and proposal.proposed_by_id != by.pk:
        email = proposal.proposed_by.email
        transaction.on_commit(lambda: emails.send("proposal_outcome", [email], link))


# Agreement rounds ----------------------------------------------------------


@transaction.atomic
def open_round(*, version, by, link) -> Version:
    _lock_group_versions(version.group_id)
    locked = _lock_version(version, Version.Status.DRAFT)
    if Version.objects.filter(group=locked.group_id, status=Version.Status.IN_ROUND).exists():
        raise RulesError("Another version is with the group already. Adopt or withdraw it first.")
    rules = list(locked.rules.order_by("position", "id"))
    if not rules:
        raise RulesError("Add at least one rule before putting the draft to the group.")
    locked.status = Version.Status.IN_ROUND
    locked.content_hash = hash_rules(rules)
    locked.round_opened_at = timezone.now()
    locked.round_opened_by = by
    locked.save()
    recipients = _current_member_emails(locked.group)
    transaction.on_commit(lambda: emails.send("round_opened", recipients, link))
    return locked


@transaction.atomic
def record_agreement(*, version, user, answer, comment="", visibility, seen_hash) -> Agreement:
    """Save (or change) a member's answer, bound to the text they were shown."""
    locked = _lock_version(version, Version.Status.IN_ROUND, Version.Status.ADOPTED)
    if seen_hash != locked.content_hash:
        raise RulesError("The rules changed while you were reading them. Please read them again.")
    if not Membership.objects.filter(
        group=locked.group_id, user=user, left_at__isnull=True
    ).exists():
        raise RulesError("Only current members can answer.")
    if answer == Agreement.Answer.TALK and not comment.strip():
        raise RulesError("Please say what you would like to talk about.")
    agreement, _created = Agreement.objects.update_or_create(
        version=locked,
        user=user,
        defaults={
            "answer": answer,
            "comment": comment.strip(),
            "visibility": visibility,
            "content_hash": locked.content_hash,
        },
    )
    return agreement


def agreed_user_ids(version) -> set:
    return set(
        Agreement.objects.filter(
            version=version, answer=Agreement.Answer.AGREE, content_hash=version.content_hash
        ).values_list("user_id", flat=True)
    )


def everyone_agreed(version) -> bool:
    current = set(
        Membership.objects.filter(group=version.group_id, left_at__isnull=True).values_list(
            "user_id", flat=True
        )
    )
    return bool(current) and current <= agreed_user_ids(version)


@transaction.atomic
def adopt_version(*, version, by, outcome, link) -> Version:
    # Lock all of the group's versions: two adoptions at once cannot both pass.
    _lock_group_versions(version.group_id)
    locked = _lock_version(version, Version.Status.IN_ROUND)
    outcome = (outcome or "").strip()
    if not outcome and not everyone_agreed(locked):
        raise RulesError(
            "Not everyone has agreed yet. Write down what was talked about and what the group "
            "decided, then adopt."
        )
    now = timezone.now()
    Version.objects.filter(group=locked.group_id, status=Version.Status.ADOPTED).update(
        status=Version.Status.SUPERSEDED, updated=now
    )
    locked.status = Version.Status.ADOPTED
    locked.closed_at = now
    locked.closed_by = by
    locked.outcome = outcome
    locked.save()
    recipients = _current_member_emails(locked.group)
    transaction.on_commit(lambda: emails.send("adopted", recipients, link))
    return locked


@transaction.atomic
def withdraw_round(*, version, by, outcome) -> Version:
    """Take a version back from the group. Its answers stay with it; a new draft copies it."""
    # The group's versions first, as start_draft (below) and accept_proposal lock them:
    # taking this version's row first could deadlock with an accept_proposal.
    _lock_group_versions(version.group_id)
    locked = _lock_version(version, Version.Status.IN_ROUND)
    locked.status = Version.Status.WITHDRAWN
    locked.closed_at = timezone.now()
    locked.closed_by = by
    locked.outcome = (outcome or "").strip()
    locked.save()
    return start_draft(group=locked.group, by=by, based_on=locked)


def send_reminders(*, version, link) -> int:
    answered = Agreement.objects.filter(version=version).values("user_id")
    recipients = list(
        Membership.objects.filter(group=version.group_id, left_at__isnull=True)
        .exclude(user_id__in=answered)
        .values_list("user__email", flat=True)
    )
    return emails.send("reminder", recipients, link)
