"""Agreement rounds: putting a version to the group, answers, adoption and reminders."""

from datetime import timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from groups import audit, limits
from groups.conflicts import ChangedUnderneath
from groups.models import AuditEvent, Membership
from groups.selectors import facilitator_emails

from .. import emails, selectors
from ..models import COMMENT_LIMIT, Agreement, RoundReminder, TalkRequest, Version, hash_rules
from ..selectors import agreement_count, current_member_emails
from ..summary import refresh as refresh_summary
from . import locks
from .drafting import start_draft
from .locks import RulesError

# A member is reminded about a version at most this often, by anyone or automatically.
REMIND_EVERY = timedelta(days=3)


@transaction.atomic
def open_round(*, version, by, link, closes_on=None) -> Version:
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
    locked.closes_on = closes_on
    locked.save()
    refresh_summary([locked.group_id])
    recipients = current_member_emails(locked.group_id)
    transaction.on_commit(lambda: emails.send("round_opened", recipients, link))
    return locked


@transaction.atomic
def record_agreement(
    *, version, user, answer, comment="", visibility, seen_hash, about=None, link=""
) -> Agreement:
    """Save (or change) a member's answer, bound to the text they were shown.

    "I'd like to talk" opens a talk request about one rule of the version (`about`) or the
    whole version, and tells the group's facilitators (`link`: the answers page). Saying
    "I agree" withdraws the member's requests that nobody has talked about yet."""
    locked = locks.lock_version(version, Version.Status.IN_ROUND, Version.Status.ADOPTED)
    if seen_hash != locked.content_hash:
        raise RulesError("The rules changed while you were reading them. Please read them again.")
    if not Membership.objects.current().filter(group=locked.group_id, user=user).exists():
        raise RulesError("Only current members can answer.")
    comment = comment.strip()
    if answer == Agreement.Answer.TALK and not comment:
        raise RulesError("Please say what you would like to talk about.")
    if about is not None and about.version_id != locked.pk:
        raise RulesError("That rule is not in this version.")
    agreement = _save_answer(
        locked,
        user,
        answer=answer,
        comment=comment if answer == Agreement.Answer.TALK else "",
        visibility=visibility,
        content_hash=locked.content_hash,
    )
    mine = TalkRequest.objects.open().filter(version=locked, member=user)
    if answer == Agreement.Answer.AGREE:
        mine.delete()
        return agreement
    request = mine.filter(rule=about).first()
    if request is None:
        TalkRequest.objects.create(
            version=locked, member=user, rule=about, comment=comment, visibility=visibility
        )
        recipients = [e for e in facilitator_emails(locked.group_id) if e != user.email]
        transaction.on_commit(lambda: emails.send("talk_requested", recipients, link))
    else:
        request.comment, request.visibility = comment, visibility
        request.save(update_fields=["comment", "visibility", "updated"])
    return agreement


def _save_answer(version, user, **values) -> Agreement:
    """Save a member's answer to `version` (locked by the caller, so one answer at a time).
    The same answer given again changes nothing, not even its date: the group's summary
    stays as it is, and a facilitator about to adopt is not told that answers changed."""
    agreement = Agreement.objects.filter(version=version, user=user).first()
    if agreement is None:
        agreement = Agreement.objects.create(version=version, user=user, **values)
    elif any(getattr(agreement, name) != value for name, value in values.items()):
        for name, value in values.items():
            setattr(agreement, name, value)
        agreement.save(update_fields=[*values, "updated"])
    else:
        return agreement
    refresh_summary([version.group_id])
    return agreement


@transaction.atomic
def record_rule_answers(*, version, user, answers, visibility, seen_hash, link="") -> Agreement:
    """A member's answer rule by rule: `answers` maps every rule of `version` to
    (answer, comment). Agreeing to every rule is "I agree"; otherwise the answer is "I'd
    like to talk", with a talk request about each rule they would like to talk about
    (the facilitators get one email for them all). A rule now agreed withdraws the
    member's request about it that nobody has talked about yet."""
    locked = locks.lock_version(version, Version.Status.IN_ROUND, Version.Status.ADOPTED)
    if seen_hash != locked.content_hash:
        raise RulesError("The rules changed while you were reading them. Please read them again.")
    if {rule.pk for rule in answers} != set(locked.rules.values_list("pk", flat=True)):
        raise RulesError("Please answer every rule of this version.")
    if not Membership.objects.current().filter(group=locked.group_id, user=user).exists():
        raise RulesError("Only current members can answer.")
    talks = {
        rule: comment.strip() for rule, (answer, comment) in answers.items() if answer == "talk"
    }
    if any(not comment for comment in talks.values()):
        raise RulesError("Please say what you would like to talk about.")
    if not talks:
        return record_agreement(
            version=locked,
            user=user,
            answer=Agreement.Answer.AGREE,
            visibility=visibility,
            seen_hash=seen_hash,
        )
    summary = "\n".join(f"{rule.text[:60]}: {comment}" for rule, comment in talks.items())
    agreement = _save_answer(
        locked,
        user,
        answer=Agreement.Answer.TALK,
        comment=summary[:COMMENT_LIMIT],
        visibility=visibility,
        content_hash=locked.content_hash,
    )
    mine = TalkRequest.objects.open().filter(version=locked, member=user)
    mine.filter(rule__in=[rule for rule in answers if rule not in talks]).delete()
    existing = {request.rule_id: request for request in mine.filter(rule__in=list(talks))}
    new = False
    for rule, comment in talks.items():
        request = existing.get(rule.pk)
        if request is None:
            new = True
            TalkRequest.objects.create(
                version=locked, member=user, rule=rule, comment=comment, visibility=visibility
            )
        else:
            request.comment, request.visibility = comment, visibility
            request.save(update_fields=["comment", "visibility", "updated"])
    if new:
        recipients = [e for e in facilitator_emails(locked.group_id) if e != user.email]
        transaction.on_commit(lambda: emails.send("talk_requested", recipients, link))
    return agreement


@transaction.atomic
def mark_talked_about(*, request, by, note) -> TalkRequest:
    """Close a talk request with a short note of what came of it."""
    locked = TalkRequest.objects.select_for_update().get(pk=request.pk)
    if not locked.is_open:
        raise RulesError("This has already been marked as talked about.")
    note = (note or "").strip()
    if not note:
        raise RulesError("Write a short note of what came of it.")
    locked.talked_about_at = timezone.now()
    locked.talked_about_by = by
    locked.note = note
    locked.save()
    return locked


@transaction.atomic
def adopt_version(*, version, by, outcome, link, notes=None, seen=None) -> Version:
    """Make `version` the group's rules.

    Unless every current member has agreed and no talk request is open, it needs an
    `outcome`; each open talk request needs a note of what came of it (`notes`, by the
    request's uuid), and is marked talked about with it. The version keeps how many had
    agreed, of how many, so every page can say so. With `seen` (the tracker's stamp when
    the page was loaded): ChangedUnderneath if an answer or talk request changed since."""
    # Lock all of the group's versions: two adoptions at once cannot both pass.
    locks.lock_group_versions(version.group_id)
    locked = locks.lock_version(version, Version.Status.IN_ROUND)
    _refuse_round_changed(locked, seen)
    outcome = (outcome or "").strip()
    notes = notes or {}
    waiting = list(TalkRequest.objects.select_for_update().open().filter(version=locked))
    if any(not (notes.get(str(r.uuid)) or "").strip() for r in waiting):
        raise RulesError(
            "Some members asked to talk. Write down what came of each request, then adopt."
        )
    agreed, members = agreement_count(locked)
    if not outcome and (waiting or agreed < members or not members):
        raise RulesError(
            "Not everyone has agreed yet. Write down what was talked about and what the group "
            "decided, then adopt."
        )
    now = timezone.now()
    for request in waiting:
        request.talked_about_at, request.talked_about_by = now, by
        request.note = notes[str(request.uuid)].strip()
        request.save()
    Version.objects.adopted().filter(group=locked.group_id).update(
        status=Version.Status.SUPERSEDED, updated=now
    )
    locked.status = Version.Status.ADOPTED
    locked.closed_at = now
    locked.closed_by = by
    locked.outcome = outcome
    locked.agreed_when_adopted, locked.members_when_adopted = agreed, members
    locked.save()
    refresh_summary([locked.group_id])
    audit.record(AuditEvent.Action.VERSION_ADOPTED, actor=by, group=version.group, target=locked)
    recipients = current_member_emails(locked.group_id)
    transaction.on_commit(lambda: emails.send("adopted", recipients, link))
    return locked


@transaction.atomic
def withdraw_round(*, version, by, outcome, seen=None) -> Version:
    """Take a version back from the group. Its answers stay with it; a new draft copies it.
    With `seen`, ChangedUnderneath if an answer or talk request changed since."""
    # The group's versions first, as start_draft (below) and accept_proposal lock them:
    # taking this version's row first could deadlock with an accept_proposal.
    locks.lock_group_versions(version.group_id)
    locked = locks.lock_version(version, Version.Status.IN_ROUND)
    _refuse_round_changed(locked, seen)
    locked.status = Version.Status.WITHDRAWN
    locked.closed_at = timezone.now()
    locked.closed_by = by
    locked.outcome = (outcome or "").strip()
    locked.save()
    audit.record(AuditEvent.Action.ROUND_WITHDRAWN, actor=by, group=version.group, target=locked)
    draft = start_draft(group=locked.group, by=by, based_on=locked)
    refresh_summary([locked.group_id])
    return draft


def _refuse_round_changed(locked, seen) -> None:
    """Answers are written under the version's lock, held here: what is read is final."""
    if seen is None:
        return
    members = list(selectors.members_with_answers(locked))
    talks = list(selectors.talk_requests(locked))
    if selectors.round_seen(locked, members, talks) != seen:
        raise ChangedUnderneath(
            "Members’ answers or requests to talk have changed since you opened this page, "
            "so nothing has been done yet. Read them again below, then decide."
        )


def _due_reminders(version, now, *, not_to):
    """(user id, email) of current members who have not answered `version` and have not
    been reminded about it within REMIND_EVERY, leaving out `not_to` (user ids)."""
    recent = RoundReminder.objects.filter(
        version=version, member=OuterRef("user"), created__gt=now - REMIND_EVERY
    )
    answered = Agreement.objects.filter(version=version).values("user_id")
    return list(
        Membership.objects.current()
        .filter(group=version.group_id)
        .exclude(user_id__in=answered)
        .exclude(user_id__in=[u for u in not_to if u is not None])
        .exclude(Exists(recent))
        .values_list("user_id", "user__email")
    )


def _remind(version, due, by, link) -> int:
    RoundReminder.objects.bulk_create(
        RoundReminder(version=version, member_id=user_id, sent_by=by) for user_id, _e in due
    )
    recipients = [email for _u, email in due]
    transaction.on_commit(lambda: emails.send("reminder", recipients, link))
    return len(recipients)


@transaction.atomic
def send_reminders(*, version, by, link) -> int:
    """Email the current members who have not answered `version` yet, except the sender
    and anyone reminded in the last few days (REMIND_EVERY); at most once a day for a
    round (LimitReached otherwise), so nobody is pressed for an answer."""
    locked = locks.lock_version(version, Version.Status.IN_ROUND)
    due = _due_reminders(locked, timezone.now(), not_to=[by.pk])
    if not due:
        return 0
    limits.take("reminder", subject=f"round:{locked.pk}", sender=by.pk)
    return _remind(locked, due, by, link)


def remind_open_rounds(*, base_url, now=None) -> int:
    """Remind members who have not answered a version that is with their group, every
    few days (REMIND_EVERY) from the day it was put to the group until its closing date;
    never the person who put it to the group. Returns the number of emails sent."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = 0
    rounds = (
        Version.objects.in_round()
        .filter(group__archived_at__isnull=True, round_opened_at__lte=now - REMIND_EVERY)
        .filter(Q(closes_on__isnull=True) | Q(closes_on__gte=today))
        .select_related("group")
    )
    for version in rounds:
        link = base_url.rstrip("/") + reverse(
            "groundrules:answer", args=[version.group.slug, version.number]
        )
        with transaction.atomic():
            locked = locks.lock_version(version, Version.Status.IN_ROUND)
            due = _due_reminders(locked, now, not_to=[locked.round_opened_by_id])
            if due:
                sent += _remind(locked, due, None, link)
    return sent
