"""Agreement rounds: putting a version to the group, answers, adoption and reminders."""

from django.db import transaction
from django.utils import timezone

from groups import audit, limits
from groups.models import AuditEvent, Membership

from .. import emails
from ..models import Agreement, Version, hash_rules
from ..selectors import current_member_emails, everyone_agreed, not_answered_emails
from . import locks
from .drafting import start_draft
from .locks import RulesError


@transaction.atomic
def open_round(*, version, by, link) -> Version:
    locks.lock_group_versions(version.group_id)
    locked = locks.lock_version(version, Version.Status.DRAFT)
    if Version.objects.in_round().filter(group=locked.group_id).exists():
        raise RulesError("Another version is with the group already. Adopt or withdraw it first.")
    rules = list(locked.rules.order_by("position", "id"))
    if not rules:
        raise RulesError("Add at least one rule before putting the draft to the group.")
    locked.status = Version.Status.IN_ROUND
    locked.content_hash = hash_rules(rules)
    locked.round_opened_at = timezone.now()
    locked.round_opened_by = by
    locked.save()
    recipients = current_member_emails(locked.group_id)
    transaction.on_commit(lambda: emails.send("round_opened", recipients, link))
    return locked


@transaction.atomic
def record_agreement(*, version, user, answer, comment="", visibility, seen_hash) -> Agreement:
    """Save (or change) a member's answer, bound to the text they were shown."""
    locked = locks.lock_version(version, Version.Status.IN_ROUND, Version.Status.ADOPTED)
    if seen_hash != locked.content_hash:
        raise RulesError("The rules changed while you were reading them. Please read them again.")
    if not Membership.objects.current().filter(group=locked.group_id, user=user).exists():
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


@transaction.atomic
def adopt_version(*, version, by, outcome, link) -> Version:
    # Lock all of the group's versions: two adoptions at once cannot both pass.
    locks.lock_group_versions(version.group_id)
    locked = locks.lock_version(version, Version.Status.IN_ROUND)
    outcome = (outcome or "").strip()
    if not outcome and not everyone_agreed(locked):
        raise RulesError(
            "Not everyone has agreed yet. Write down what was talked about and what the group "
            "decided, then adopt."
        )
    now = timezone.now()
    Version.objects.adopted().filter(group=locked.group_id).update(
        status=Version.Status.SUPERSEDED, updated=now
    )
    locked.status = Version.Status.ADOPTED
    locked.closed_at = now
    locked.closed_by = by
    locked.outcome = outcome
    locked.save()
    audit.record(AuditEvent.Action.VERSION_ADOPTED, actor=by, group=version.group, target=locked)
    recipients = current_member_emails(locked.group_id)
    transaction.on_commit(lambda: emails.send("adopted", recipients, link))
    return locked


@transaction.atomic
def withdraw_round(*, version, by, outcome) -> Version:
    """Take a version back from the group. Its answers stay with it; a new draft copies it."""
    # The group's versions first, as start_draft (below) and accept_proposal lock them:
    # taking this version's row first could deadlock with an accept_proposal.
    locks.lock_group_versions(version.group_id)
    locked = locks.lock_version(version, Version.Status.IN_ROUND)
    locked.status = Version.Status.WITHDRAWN
    locked.closed_at = timezone.now()
    locked.closed_by = by
    locked.outcome = (outcome or "").strip()
    locked.save()
    audit.record(AuditEvent.Action.ROUND_WITHDRAWN, actor=by, group=version.group, target=locked)
    return start_draft(group=locked.group, by=by, based_on=locked)


def send_reminders(*, version, by, link) -> int:
    """Email the current members who have not answered `version` yet: at most once a day
    for a round (LimitReached otherwise), so nobody is pressed for an answer."""
    recipients = not_answered_emails(version)
    if not recipients:
        return 0
    limits.take("reminder", subject=f"round:{version.pk}", sender=by.pk)
    return emails.send("reminder", recipients, link)
