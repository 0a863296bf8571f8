"""A group's venue checks: starting one, saving its answers, submitting and reopening it."""

from django.db import IntegrityError, transaction
from django.db.models import Case, Value, When
from django.utils import timezone

from groups.conflicts import ChangedUnderneath, EditConflict, refuse_stale, stamp_of

from .. import scoring
from ..models import Answer, Assessment
from ..selectors import answers_seen, questions_for
from ..summary import refresh as refresh_summary
from .errors import VenueError
from .templates import ensure_template


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
    and nothing is saved. One `by` gave or changed since is theirs to change again.
    Returns {question_id: the saved answer's new stamp}."""
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
            # An answer the same person saved since is not someone else's: most often it
            # is their own answer saved as given, its reply not back yet (a slow signal)
            # when they pressed Save; what they send now is their latest word.
            if current is None or (by is not None and current.changed_by_id == by.pk):
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
    # is two statements however many answers it changes. Only the answer and the note
    # differ from one changed answer to the next; who and when are the same for all.
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
        Answer.objects.filter(pk__in=[a.pk for a in changed]).update(
            value=_each(changed, "value"), note=_each(changed, "note"), changed_by=by, updated=now
        )
    if new:
        Answer.objects.bulk_create(new)  # sets each one's created and updated
    return {question_id: stamp_of(saved[question_id]) for question_id in given}


def _each(answers, name):
    """Each answer's own `name`, as one expression of an UPDATE of them all."""
    field = Answer._meta.get_field(name)
    return Case(
        *(When(pk=a.pk, then=Value(getattr(a, name), output_field=field)) for a in answers),
        output_field=field,
    )


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
