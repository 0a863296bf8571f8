"""State changes for venues, question templates, assessments, actions and feedback."""

import secrets
import uuid

from django.db import IntegrityError, transaction
from django.db.models import Max, Sum
from django.urls import reverse
from django.utils import timezone

from groups import audit
from groups.conflicts import (
    ChangedUnderneath,
    EditConflict,
    conflict_between,
    refuse_stale,
    stamp_of,
)
from groups.models import AuditEvent, Organisation
from groups.selectors import facilitator_emails

from . import emails, scoring
from .facts import venue_facts
from .models import (
    THRESHOLD,
    Action,
    Answer,
    Assessment,
    FeedbackReceipt,
    FeedbackRelease,
    PoolCount,
    PooledAnswer,
    Question,
    ReleasedAnswer,
    Template,
    Venue,
    VenueUse,
)
from .questions import default_questions
from .selectors import (
    answers_seen,
    counts_from,
    current_period,
    has_answered,
    possible_owners,
    questions_for,
)
from .summary import refresh as refresh_summary


class VenueError(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


# Library -------------------------------------------------------------------


@transaction.atomic
def save_venue(*, venue: Venue) -> Venue:
    venue.save()
    # Its name is on the summaries of the groups meeting there.
    refresh_summary(VenueUse.objects.filter(venue=venue).values_list("group_id", flat=True))
    return venue


@transaction.atomic
def update_venue(*, venue, fields: dict, by, base) -> Venue:
    """Change a venue's details; EditConflict if someone changed them since `base`."""
    locked = Venue.objects.select_for_update().get(pk=venue.pk)
    refuse_stale(locked, base, fields)
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.changed_by = by
    locked.save()
    # Its name is on the summaries of the groups meeting there.
    refresh_summary(VenueUse.objects.filter(venue=locked).values_list("group_id", flat=True))
    return locked


@transaction.atomic
def add_venue_for_group(*, group, venue: Venue) -> Venue:
    """A facilitator adds a venue to the organisation's library and the group meets there."""
    venue.organisation = group.organisation
    venue.save()
    VenueUse.objects.create(group=group, venue=venue)
    refresh_summary([group.pk])
    return venue


@transaction.atomic
def set_group_venues(*, group, venues) -> None:
    wanted = {v.pk for v in venues}
    VenueUse.objects.filter(group=group).exclude(venue_id__in=wanted).delete()
    have = set(VenueUse.objects.filter(group=group).values_list("venue_id", flat=True))
    VenueUse.objects.bulk_create(VenueUse(group=group, venue_id=pk) for pk in wanted - have)
    refresh_summary([group.pk])


# Templates -----------------------------------------------------------------


def _lock_templates_of(organisation) -> None:
    """Versions of an organisation's questions are made one at a time (row lock on it)."""
    list(
        Organisation.objects.select_for_update(no_key=True)
        .filter(pk=organisation.pk)
        .values_list("pk")
    )


@transaction.atomic
def ensure_template(organisation) -> Template:
    """The organisation's current questions, creating the default set the first time."""
    current = Template.objects.filter(organisation=organisation).first()
    if current is not None:
        return current
    # Two first checks at once: the second waits here, then finds the first's template.
    _lock_templates_of(organisation)
    current = Template.objects.filter(organisation=organisation).first()
    if current is not None:
        return current
    template = Template.objects.create(organisation=organisation, version=1)
    questions = default_questions()
    for question in questions:
        question.template = template
    Question.objects.bulk_create(questions)
    return template


@transaction.atomic
def new_template_version(*, organisation, by, change) -> Template:
    """Copy the current questions into a new version, then let `change(questions)` edit them.

    `change` receives the list of unsaved Question objects and returns the list to keep.
    Past assessments keep the version (and wording) they were answered against.
    """
    ensure_template(organisation)
    # Lock first, then read: a change made meanwhile is committed and seen, not copied over.
    _lock_templates_of(organisation)
    current = Template.objects.filter(organisation=organisation).first()
    number = Template.objects.filter(organisation=organisation).aggregate(n=Max("version"))["n"] + 1
    copies = [
        Question(
            key=q.key,
            position=q.position,
            section=q.section,
            applies_to=q.applies_to,
            need=q.need,
            not_for_need=q.not_for_need,
            critical=q.critical,
            text=q.text,
            help_text=q.help_text,
            safe_answer=q.safe_answer,
        )
        for q in current.questions.order_by("section", "position")
    ]
    kept = change(copies)
    template = Template.objects.create(organisation=organisation, version=number, created_by=by)
    for position, question in enumerate(kept, start=1):
        question.template = template
        question.position = position
    Question.objects.bulk_create(kept)
    audit.record(
        AuditEvent.Action.TEMPLATE_CHANGED,
        actor=by,
        organisation=organisation,
        target=f"Version {number}",
    )
    return template


def add_question(*, organisation, by, question: Question) -> Template:
    """A new version with `question` (unsaved) added at the end of its section."""

    def add(questions):
        # A key never used in any version, not even a retired one: keys match questions
        # across versions. Read here, under the version lock, so two adds differ.
        used = set(
            Question.objects.filter(template__organisation=organisation).values_list(
                "key", flat=True
            )
        )
        n = len(used) + 1
        while f"custom-{n}" in used:
            n += 1
        question.key = f"custom-{n}"
        same = [q for q in questions if q.section == question.section]
        question.position = max((q.position for q in same), default=0) + 1
        return [*questions, question]

    return new_template_version(organisation=organisation, by=by, change=add)


def edit_question(*, organisation, by, key, fields: dict, base_version=None) -> Template:
    """A new version with the question `key` worded (or marked) as in `fields`.

    With `base_version` (the version the form showed): EditConflict if the question was
    changed in a version since (other questions changing is no conflict), VenueError if
    it was taken out."""

    def edit(questions):
        if base_version is not None:
            _refuse_question_changed(organisation, key, base_version, questions, fields)
        for q in questions:
            if q.key == key:
                for name, value in fields.items():
                    setattr(q, name, value)
        return questions

    return new_template_version(organisation=organisation, by=by, change=edit)


def _refuse_question_changed(organisation, key, base_version, questions, fields):
    """Called under the template lock, with the current version's questions."""
    current = next((q for q in questions if q.key == key), None)
    if current is None:
        raise VenueError(
            "This question was taken out of the questions after you opened the page, "
            "so it has not been changed."
        )
    seen = Question.objects.filter(
        template__organisation=organisation, template__version=base_version, key=key
    ).first()
    if seen is not None and all(getattr(seen, name) == getattr(current, name) for name in fields):
        return  # only other questions changed since
    latest = Template.objects.filter(organisation=organisation).first()
    conflict = conflict_between(
        current,
        fields,
        changed_by=latest.created_by,
        changed_at=latest.created,
        stamp=str(latest.version),
    )
    if conflict is not None:
        raise conflict


def retire_question(*, organisation, by, key, base_version=None) -> Template:
    """A new version without the question `key`; past checks keep it. With `base_version`
    (the version the list showed): ChangedUnderneath if the question changed since."""

    def retire(questions):
        if base_version is not None:
            current = next((q for q in questions if q.key == key), None)
            seen = Question.objects.filter(
                template__organisation=organisation, template__version=base_version, key=key
            ).first()
            if (
                current is None
                or seen is None
                or any(getattr(seen, part) != getattr(current, part) for part in Question.PARTS)
            ):
                raise ChangedUnderneath(
                    "This question was changed since you opened the page, so it has not been "
                    "retired. Read it again, then decide."
                )
        return [q for q in questions if q.key != key]

    return new_template_version(organisation=organisation, by=by, change=retire)


def move_question(*, organisation, by, key, up: bool) -> Template:
    """A new version with the question `key` one place up or down within its section."""

    def move(questions):
        ordered = sorted(questions, key=lambda q: (q.section, q.position))
        i = next(n for n, q in enumerate(ordered) if q.key == key)
        j = i - 1 if up else i + 1
        if 0 <= j < len(ordered) and ordered[j].section == ordered[i].section:
            ordered[i], ordered[j] = ordered[j], ordered[i]
        return ordered

    return new_template_version(organisation=organisation, by=by, change=move)


# Assessments ---------------------------------------------------------------


def start_assessment(*, group, venue, by) -> Assessment:
    """Resume the group's assessment of this venue in progress, or start a new one."""
    existing = Assessment.objects.in_progress().filter(group=group, venue=venue).first()
    if existing:
        return existing
    template = ensure_template(group.organisation)
    try:
        with transaction.atomic():
            return Assessment.objects.create(
                group=group, venue=venue, template=template, started_by=by
            )
    except IntegrityError:
        # Someone else started one at the same moment: use theirs.
        return Assessment.objects.in_progress().get(group=group, venue=venue)


def _lock_open(assessment) -> Assessment:
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if locked.submitted_at is not None:
        raise VenueError("This assessment has already been submitted, so it can't change.")
    return locked


class AnswersChanged(Exception):
    """Answers someone else gave since the page was opened: nothing was saved.
    `conflicts` maps each question's id to its EditConflict (theirs, now, who, when)."""

    def __init__(self, conflicts):
        super().__init__("Some answers changed since the page was opened.")
        self.conflicts = conflicts


@transaction.atomic
def save_answers(*, assessment, answers: dict, bases=None, by=None) -> dict:
    """Save answers given as {question_id: (value, note)}. Refuses foreign questions.

    With `bases` ({question_id: the stamp the page showed, "" for no answer yet}), an
    answer someone else gave or changed since then is not overwritten: AnswersChanged,
    and nothing is saved. Returns {question_id: the saved answer's new stamp}."""
    locked = _lock_open(assessment)
    allowed = {q.pk for q in questions_for(assessment)}
    if not set(answers) <= allowed:
        raise VenueError("Some answers are for questions that are not part of this assessment.")
    given = {qid: pair for qid, pair in answers.items() if pair[0]}
    stored = {
        a.question_id: a
        for a in Answer.objects.select_for_update().filter(assessment=locked, question__in=given)
    }
    if bases is not None:
        conflicts = {}
        for question_id, (value, note) in given.items():
            current = stored.get(question_id)
            if current is None:
                continue
            try:
                refuse_stale(
                    current, bases.get(question_id, ""), {"value": value, "note": note or ""}
                )
            except EditConflict as conflict:
                conflicts[question_id] = conflict
        if conflicts:
            raise AnswersChanged(conflicts)
    # Every changed answer in one UPDATE and every new one in one INSERT: a section's save
    # is two statements however many answers it changes.
    now, saved, changed, new = timezone.now(), dict(stored), [], []
    for question_id, (value, note) in given.items():
        current = stored.get(question_id)
        if current is None:
            current = saved[question_id] = Answer(assessment=locked, question_id=question_id)
            new.append(current)
        elif (current.value, current.note) == (value, note or ""):
            continue
        else:
            changed.append(current)
            current.updated = now
        current.value, current.note, current.changed_by = value, note or "", by
    if changed:
        Answer.objects.bulk_update(changed, ["value", "note", "changed_by", "updated"])
    if new:
        Answer.objects.bulk_create(new)  # sets each one's created and updated
    return {question_id: stamp_of(saved[question_id]) for question_id in given}


@transaction.atomic
def submit_assessment(*, assessment, by, seen=None) -> scoring.Result:
    """Submit a check. With `seen` (the answers' stamp on the page that asked to confirm):
    ChangedUnderneath if an answer was given or changed since."""
    locked = _lock_open(assessment)
    if seen is not None and seen != answers_seen(
        locked.answers.values_list("question_id", "value", "note")
    ):
        raise ChangedUnderneath(
            "Answers were given or changed since you opened this page, so the check has not "
            "been submitted. Read what will be submitted again, then submit."
        )
    questions = questions_for(assessment)
    answers = dict(locked.answers.values_list("question_id", "value"))
    missing = [q for q in questions if q.pk not in answers]
    if missing:
        raise VenueError(
            f"{len(missing)} questions still need an answer. “Don't know” is a fine answer."
        )
    result = scoring.score(questions, answers)
    locked.being_safe_score = result.sections.get("being_safe", scoring.SectionScore()).score
    locked.feeling_safe_score = result.sections.get("feeling_safe", scoring.SectionScore()).score
    locked.critical_flag = result.critical_flag
    locked.submitted_at = timezone.now()
    locked.submitted_by = by
    if locked.first_submitted_at is None:
        locked.first_submitted_at = locked.submitted_at
    locked.save()
    refresh_summary([locked.group_id])
    return result


@transaction.atomic
def reopen_assessment(*, assessment, by) -> Assessment:
    """Take a submitted check back to correct it: only its author, within REOPEN_WINDOW of
    its first submission, while it is the venue's latest check for the group. Its scores
    go until it is submitted again (they are worked out afresh then), so meanwhile the
    venue's latest submitted check is the one before it."""
    # The group's checks of this venue, locked in one order (oldest first), so that a
    # reopening and a new check started at the same moment cannot both succeed.
    checks = list(
        Assessment.objects.select_for_update()
        .filter(group_id=assessment.group_id, venue_id=assessment.venue_id)
        .order_by("pk")
    )
    locked = next(c for c in checks if c.pk == assessment.pk)
    now = timezone.now()
    if locked.submitted_at is None:
        raise VenueError("This check is not submitted, so there is nothing to reopen.")
    if locked.submitted_by_id != by.pk:
        raise VenueError("Only the person who submitted a check can reopen it.")
    if now >= locked.reopen_until:
        raise VenueError(
            "A check can be reopened for a day after it is submitted. "
            "To correct it now, start a new check."
        )
    if any(c.submitted_at is None for c in checks):
        raise VenueError("A newer check of this venue is in progress: make your corrections there.")
    if any(c.submitted_at > locked.submitted_at for c in checks):
        raise VenueError("A newer check of this venue has been submitted since this one.")
    locked.submitted_at = None
    locked.being_safe_score = locked.feeling_safe_score = None
    locked.critical_flag = False
    locked.reopened_at = now
    locked.reopened_by = by
    try:
        with transaction.atomic():
            locked.save()
    except IntegrityError:
        # A new check was started at the same moment (assessment_one_in_progress).
        raise VenueError(
            "A newer check of this venue is in progress: make your corrections there."
        ) from None
    refresh_summary([locked.group_id])
    return locked


# Actions -------------------------------------------------------------------


@transaction.atomic
def create_action(*, answer, by, what, owner, due_on, link, priority=None) -> Action:
    """An action on `answer`, at `priority` (by default the one the answer calls for)."""
    if not answer.question.needs_attention(answer.value):
        raise VenueError("Only an unsafe or Partly answer can become an action.")
    assessment = answer.assessment
    if not possible_owners(assessment.group).filter(pk=owner.pk).exists():
        raise VenueError("Choose one of the group's facilitators or the coordinators.")
    action = Action.objects.create(
        answer=answer,
        venue=assessment.venue,
        group=assessment.group,
        what=what,
        owner=owner,
        due_on=due_on,
        priority=priority or Action.priority_for(answer),
        created_by=by,
    )
    refresh_summary([action.group_id])
    if owner.pk != by.pk:
        email = owner.email
        transaction.on_commit(lambda: emails.send("action_assigned", [email], link))
    return action


@transaction.atomic
def close_action(*, action, status, note) -> Action:
    locked = Action.objects.select_for_update().get(pk=action.pk)
    if locked.status != Action.Status.OPEN:
        raise VenueError("This action has already been closed.")
    if not (note or "").strip():
        raise VenueError("Please add a note saying what was done, or why not.")
    locked.status = status
    locked.closing_note = note.strip()
    locked.closed_at = timezone.now()
    locked.save()
    refresh_summary([locked.group_id])
    return locked


# Peers' feedback ------------------------------------------------------------
#
# An answer joins the pool of its group and venue; the pool is released as one batch
# when at least THRESHOLD of its answers count (docs/privacy.md). Every write below
# keeps the promise that nothing stored ties an answer to the person who gave it.

_shuffle = secrets.SystemRandom().shuffle


def _lock_pool(group_id, venue_id) -> bool:
    """Answers about one venue are added and released one at a time: lock the group's use
    of the venue, then the pool's counts (always in this order). False if the group no
    longer meets there (its waiting answers can still be released)."""
    meets_there = bool(
        VenueUse.objects.select_for_update()
        .filter(group_id=group_id, venue_id=venue_id)
        .values_list("pk", flat=True)
    )
    list(
        PoolCount.objects.select_for_update()
        .filter(group_id=group_id, venue_id=venue_id)
        .values_list("pk", flat=True)
    )
    return meets_there


def _counting(group_id, venue_id, period) -> int:
    """How many waiting answers count towards a release in `period`."""
    return (
        PoolCount.objects.filter(
            group_id=group_id, venue_id=venue_id, counts_from__lte=period
        ).aggregate(n=Sum("waiting"))["n"]
        or 0
    )


def _waiting(group_id, venue_id) -> list:
    return list(
        PooledAnswer.objects.filter(group_id=group_id, venue_id=venue_id).values(
            *PooledAnswer.FIELDS
        )
    )


def _rewrite_pool(group_id, venue_id, answers) -> None:
    """The whole pool again, in random order with fresh random keys, in one statement:
    its rows share one transaction and their order and keys say nothing."""
    PooledAnswer.objects.filter(group_id=group_id, venue_id=venue_id).delete()
    answers = list(answers)
    _shuffle(answers)
    PooledAnswer.objects.bulk_create(
        PooledAnswer(id=uuid.uuid4(), group_id=group_id, venue_id=venue_id, **a) for a in answers
    )


def _release(group_id, venue_id, answers, today) -> FeedbackRelease:
    """Move every waiting answer into one release, in random order with fresh keys."""
    release = FeedbackRelease.objects.create(
        group_id=group_id,
        venue_id=venue_id,
        period=current_period(today),
        released_on=today,
        answers=len(answers),
    )
    answers = list(answers)
    _shuffle(answers)
    ReleasedAnswer.objects.bulk_create(
        ReleasedAnswer(id=uuid.uuid4(), release=release, **a) for a in answers
    )
    PooledAnswer.objects.filter(group_id=group_id, venue_id=venue_id).delete()
    PoolCount.objects.filter(group_id=group_id, venue_id=venue_id).delete()
    refresh_summary([group_id])
    return release


def give_feedback(*, user, group, venue, scores: dict, comment: str, today=None) -> None:
    """Take a member's anonymous answer into the pool, with apart from it a receipt that
    they answered this period; release the pool at once if enough of it now counts.

    A member who joined this period is answered and thanked like anyone else; their
    answer counts towards a release from the next period (see docs/privacy.md)."""
    today = today or timezone.localdate()
    period = current_period(today)
    answer = {name: scores[name] for name in PooledAnswer.SCORE_FIELDS}
    answer["comment"] = comment.strip()
    try:
        with transaction.atomic():
            if not _lock_pool(group.pk, venue.pk):
                raise VenueError("The group no longer meets here, so this check is closed.")
            if has_answered(user=user, group=group, venue=venue, period=period):
                raise VenueError("You have already answered for this period. Thank you.")
            counts = counts_from(user=user, group=group, today=today)
            if counts is None:
                raise VenueError("Only members of the group answer this check.")
            FeedbackReceipt.objects.create(user=user, group=group, venue=venue, period=period)
            tally, _ = PoolCount.objects.get_or_create(group=group, venue=venue, counts_from=counts)
            tally.waiting += 1
            tally.save(update_fields=["waiting"])
            answers = [*_waiting(group.pk, venue.pk), answer]
            if _counting(group.pk, venue.pk, period) >= THRESHOLD:
                _release(group.pk, venue.pk, answers, today)
            else:
                _rewrite_pool(group.pk, venue.pk, answers)
    except IntegrityError as error:
        raise VenueError("You have already answered for this period. Thank you.") from error


def release_due_feedback(today=None) -> int:
    """Release every pool in which at least THRESHOLD answers count today: the daily job
    for pools that became due when a period began (answers from members who joined
    during the last period count from this one). Fewer are never released on their own:
    they wait for the next release. Returns how many releases were made."""
    today = today or timezone.localdate()
    period = current_period(today)
    due = (
        PoolCount.objects.filter(counts_from__lte=period)
        .values("group_id", "venue_id")
        .annotate(n=Sum("waiting"))
        .filter(n__gte=THRESHOLD)
        .order_by()
    )
    released = 0
    for pair in list(due):
        group_id, venue_id = pair["group_id"], pair["venue_id"]
        with transaction.atomic():
            _lock_pool(group_id, venue_id)
            if _counting(group_id, venue_id, period) >= THRESHOLD:
                _release(group_id, venue_id, _waiting(group_id, venue_id), today)
                released += 1
    return released


# Reminders ------------------------------------------------------------------


def remind_due(*, base_url, today=None) -> tuple[int, int]:
    """Email owners of actions that have fallen due, and facilitators of groups whose venue
    is due a check; each reminder once, however often this runs. Returns (actions, checks)."""
    base = base_url.rstrip("/")
    today = today or timezone.localdate()
    due = Action.objects.filter(
        status=Action.Status.OPEN, due_on__lte=today, due_reminder_sent=False
    ).select_related("owner", "group")
    by_owner = {}
    for action in due:
        if action.owner_id:
            by_owner.setdefault(action.owner.email, []).append(action)
    sent = 0
    for email, actions in by_owner.items():
        link = base + reverse("venues:group", args=[actions[0].group.slug])
        sent += emails.send("actions_due", [email], link)
        Action.objects.filter(pk__in=[a.pk for a in actions]).update(due_reminder_sent=True)

    uses = list(
        VenueUse.objects.select_related("group").filter(
            group__archived_at__isnull=True, venue__archived_at__isnull=True
        )
    )
    facts = venue_facts({use.group_id for use in uses}, today)
    states = {(gid, s.venue_id): s for gid, f in facts.items() for s in f.venues}
    reminded = 0
    for use in uses:
        state = states[(use.group_id, use.venue_id)]
        # Never checked: due from the day the group started meeting there.
        when = state.due or state.using_since
        if when > today or use.reminder_sent_for == when:
            continue
        recipients = facilitator_emails(use.group_id)
        link = base + reverse("venues:group", args=[use.group.slug])
        reminded += emails.send("reassessment_due", recipients, link)
        use.reminder_sent_for = when
        use.save(update_fields=["reminder_sent_for", "updated"])
    return sent, reminded


@transaction.atomic
def forget_member(user) -> None:
    """Venues' part of deleting someone's account (safespace.accounts.erasure). Their
    receipts ("answered this quarter") go: only they needed them. Their anonymous answers
    stay where they are, as nothing ties them to anyone. Checks they made and actions they
    own or opened stay with the group, credited to "a former member"."""
    FeedbackReceipt.objects.filter(user=user).delete()
