"""Read queries for venues, scoped to what the user may see."""

import uuid
from datetime import datetime, time

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from groups.conflicts import fingerprint
from groups.dates import next_quarter, quarter, quarter_start
from groups.models import Coordinator, GroupNeed, Membership
from groups.prepared import Prepared

from .models import (
    THRESHOLD,
    Action,
    Answer,
    Assessment,
    FeedbackReceipt,
    Question,
    Template,
    Venue,
)
from .questions import default_questions

FEEDBACK_THRESHOLD = THRESHOLD


def venues_for_user(user):
    """Venues of organisations the user coordinates, and venues their groups use as leads."""
    if not user.is_authenticated:
        return Venue.objects.none()
    coordinates = Coordinator.objects.filter(organisation=OuterRef("organisation"), user=user)
    facilitates = (
        Membership.objects.current()
        .facilitators()
        .filter(group__venue_uses__venue=OuterRef("pk"), user=user)
    )
    return Venue.objects.filter(Q(Exists(coordinates)) | Q(Exists(facilitates))).select_related(
        "organisation"
    )


def current_template(organisation):
    return (
        Template.objects.filter(organisation=organisation)
        .prefetch_related(
            Prefetch("questions", queryset=Question.objects.order_by("section", "position"))
        )
        .first()
    )


def current_questions(organisation) -> tuple[int, list]:
    """The version number and questions a coordinator sees and edits: the current template's,
    or, before the organisation's first check, the defaults (not saved: reading never writes)."""
    template = current_template(organisation)
    if template is None:
        return 1, default_questions()
    return template.version, list(template.questions.all())


def group_needs(group) -> set:
    return set(GroupNeed.objects.filter(group=group).values_list("need", flat=True))


def applicable_questions(template, venue_kind, needs):
    return [q for q in template.questions.all() if q.applies(venue_kind, needs)]


def questions_for(assessment):
    """The questions of this assessment. Once submitted: exactly those that were answered,
    whatever has changed since about the venue or the group's needs."""
    if assessment.submitted_at is not None:
        answered = {a.question_id for a in assessment.answers.all()}
        return [q for q in assessment.template.questions.all() if q.pk in answered]
    return applicable_questions(
        assessment.template, assessment.venue.kind, group_needs(assessment.group)
    )


def answers_seen(answers) -> str:
    """The stamp of a check's answers as the submit page showed them (Answer rows, or
    (question id, value, note) tuples): submitting is refused if they differ by then."""
    rows = sorted(a if isinstance(a, tuple) else (a.question_id, a.value, a.note) for a in answers)
    return fingerprint(rows)


def possible_owners(group):
    """Who may own an action: the group's facilitators and the organisation's coordinators."""
    facilitators = Membership.objects.current().facilitators().filter(group=group).values("user_id")
    coordinators = Coordinator.objects.filter(organisation=group.organisation_id).values("user_id")
    return (
        get_user_model()
        .objects.filter(pk__in=facilitators.union(coordinators))
        .order_by("display_name")
    )


def group_venues(group):
    return group.venues.order_by("name")


def library_of(organisation):
    """The organisation's venues in use (not archived)."""
    return Venue.objects.filter(organisation=organisation, archived_at__isnull=True)


def checks_of_venue(venue, *, groups):
    """Checks of a venue by the given groups (those the viewer leads), newest first."""
    return (
        Assessment.objects.filter(venue=venue, group__in=groups)
        .select_related("group", "submitted_by")
        .order_by("-submitted_at", "-created")
    )


def checks_in_progress(group) -> dict:
    """{venue id: the group's check of it that is not yet submitted}."""
    return {a.venue_id: a for a in Assessment.objects.in_progress().filter(group=group)}


def assessment_in_group(group, assessment_uuid, *, actions=True):
    """The group's assessment with that uuid (None if there is none), its `group` the very
    object given (with what it knows of the viewer), not read again; with its questions,
    its answers and (unless `actions` is False, for pages that show none) their actions."""
    found = _assessment[actions].first(group=group.pk, key=assessment_uuid)
    if found is not None:
        found.group = group
    return found


def _assessment_query(group, key, actions):
    answers = Answer.objects.all()
    if actions:
        answers = answers.prefetch_related(
            Prefetch("actions", queryset=Action.objects.select_related("owner"))
        )
    return (
        Assessment.objects.filter(group=group, uuid=key)
        .select_related("venue", "template", "submitted_by", "reopened_by")
        .prefetch_related(
            Prefetch(
                "template__questions", queryset=Question.objects.order_by("section", "position")
            ),
            Prefetch("answers", queryset=answers),
        )
        .order_by("pk")[:1]
    )


# Every page of a venue check reads it: compiled once (groups/prepared.py).
_assessment = {
    actions: Prepared(
        lambda group, key, actions=actions: _assessment_query(group, key, actions),
        group=int,
        key=uuid.UUID,
    )
    for actions in (True, False)
}


def actions_of(group):
    return Action.objects.filter(group=group).select_related("owner", "venue", "answer__question")


def open_actions(**filters):
    return (
        Action.objects.filter(status=Action.Status.OPEN, **filters)
        .select_related("owner", "venue", "group", "answer__question")
        .in_order()
    )


def current_period(today=None) -> str:
    """The period the anonymous check is answered for: the calendar quarter."""
    return quarter(today or timezone.localdate())


def period_began(today=None) -> datetime:
    """The moment the current period (calendar quarter) began, local time."""
    return timezone.make_aware(
        datetime.combine(quarter_start(today or timezone.localdate()), time.min)
    )


def counts_from(*, user, group, today=None) -> str | None:
    """The period from which this person's answer counts towards a release: this one if
    they belonged to the group before it began, else the next. None if not a member."""
    today = today or timezone.localdate()
    joined = (
        Membership.objects.current()
        .filter(user=user, group=group)
        .values_list("joined_at", flat=True)
        .first()
    )
    if joined is None:
        return None
    return quarter(today) if joined < period_began(today) else next_quarter(today)


def has_answered(*, user, group, venue, period) -> bool:
    return FeedbackReceipt.objects.filter(
        user=user, group=group, venue=venue, period=period
    ).exists()


def answered_venue_ids(*, user, group, period) -> set:
    return set(
        FeedbackReceipt.objects.filter(user=user, group=group, period=period).values_list(
            "venue_id", flat=True
        )
    )


def compare_answers(older, newer):
    """Side-by-side answers of two assessments, matched by question key."""

    def answers_by_key(assessment):
        return {
            a.question.key: a
            for a in Answer.objects.filter(assessment=assessment).select_related("question")
        }

    old, new = answers_by_key(older), answers_by_key(newer)
    keys = sorted(
        set(old) | set(new),
        key=lambda k: (
            (new.get(k) or old.get(k)).question.section,
            (new.get(k) or old.get(k)).question.position,
        ),
    )
    rows = []
    for key in keys:
        before, after = old.get(key), new.get(key)
        rows.append(
            {
                "question": (after or before).question,
                "before": before,
                "after": after,
                "changed": (before.value if before else None) != (after.value if after else None),
            }
        )
    return rows
