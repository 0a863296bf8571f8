"""Members' suggestions to add, change or remove a rule, and the decisions on them."""

from django.db import transaction
from django.utils import timezone

from .. import emails
from ..models import RULE_PARTS, Proposal, ProposalComment, Rule, Version
from . import locks
from .drafting import next_position, start_draft
from .locks import RulesError


@transaction.atomic
def propose(*, group, by, kind, target=None, fields=None, reason) -> Proposal:
    """A suggestion to add, change or remove a rule. A change keeps the whole rule as it
    was beside the parts suggested (`fields`: every part, as it would read), so accepting
    it changes exactly the parts that differ and nothing else."""
    fields = fields or {}
    before = {f"target_{part}": getattr(target, part) if target else "" for part in RULE_PARTS}
    proposal = Proposal(
        group=group,
        kind=kind,
        proposed_by=by,
        reason=reason,
        target_lineage=target.lineage if target else None,
        **before,
        **fields,
    )
    if kind == Proposal.Kind.CHANGE and not proposal.changed_parts():
        raise RulesError("Nothing would change: change at least one part of the rule.")
    proposal.save()
    return proposal


@transaction.atomic
def add_comment(*, proposal, by, text) -> ProposalComment:
    return ProposalComment.objects.create(proposal=proposal, author=by, text=text)


def lock_open_proposal(proposal) -> Proposal:
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if locked.status != Proposal.Status.OPEN:
        raise RulesError("This suggestion has already been decided.")
    return locked


@transaction.atomic
def accept_proposal(*, proposal, by, link) -> Version:
    """Apply a proposal to the group's draft (starting one if needed)."""
    locked = lock_open_proposal(proposal)
    draft = start_draft(group=locked.group, by=by)
    draft = locks.lock_version(draft, Version.Status.DRAFT)
    content = {
        "text": locked.text,
        "why": locked.why,
        "category": locked.category,
        "if_broken": locked.if_broken,
    }
    if locked.kind == Proposal.Kind.ADD:
        Rule.objects.create(version=draft, position=next_position(draft), changed_by=by, **content)
    else:
        rule = draft.rules.filter(lineage=locked.target_lineage).first()
        if rule is None:
            raise RulesError("The rule this suggestion is about is no longer in the draft.")
        if locked.kind == Proposal.Kind.REMOVE:
            rule.delete()
        else:
            # Only the parts the suggestion changes: the rest of the rule stays as the
            # draft has it, words and all.
            for part in locked.changed_parts():
                setattr(rule, part, content[part])
            rule.changed_by = by
            rule.save()
    _decide(locked, by, Proposal.Status.ACCEPTED, "", link)
    return draft


@transaction.atomic
def decline_proposal(*, proposal, by, reason, link) -> None:
    locked = lock_open_proposal(proposal)
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
