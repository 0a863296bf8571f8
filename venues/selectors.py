"""Read queries for venues, scoped to what the user may see."""

from datetime import date

from django.db.models import Avg, Count, Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from groups.dates import add_months
from groups.models import Coordinator, GroupNeed, Membership

from .models import Action, Answer, Assessment, FeedbackResponse, Question, Template, Venue

FEEDBACK_THRESHOLD = 3


def venues_for_user(user):
    """Venues of organisations the user coordinates, and venues their groups use as leads."""
    if not user.is_authenticated:
        return Venue.objects.none()
    coordinates = Coordinator.objects.filter(organisation=OuterRef("organisation"), user=user)
    facilitates = Membership.objects.filter(
        group__venue_uses__venue=OuterRef("pk"),
        user=user,
        left_at__isnull=True,
        role=Membership.Role.FACILITATOR,
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


def group_needs(group) -> set:
    return set(GroupNeed.objects.filter(group=group).values_list("need", flat=True))


def applicable_questions(template, venue_kind, needs):
    return [q for q in template.questions.all() if q.applies(venue_kind, needs)]


def assessment_in_group(group, assessment_uuid):
    return (
        Assessment.objects.filter(group=group, uuid=assessment_uuid)
        .select_related("venue", "template", "group", "group__organisation")
        .prefetch_related(
            Prefetch(
                "template__questions", queryset=Question.objects.order_by("section", "position")
            ),
            Prefetch(
                "answers",
                queryset=Answer.objects.prefetch_related(
                    Prefetch("actions", queryset=Action.objects.select_related("owner"))
                ),
            ),
        )
        .first()
    )


def latest_submitted(venue, group=None):
    qs = Assessment.objects.filter(venue=venue, submitted_at__isnull=False)
    if group is not None:
        qs = qs.filter(group=group)
    return qs.order_by("-submitted_at").first()


def reassessment_due(assessment, months) -> date | None:
    """When a venue is due to be assessed again, from its latest submitted assessment."""
    if assessment is None or assessment.submitted_at is None:
        return None
    submitted = timezone.localdate(assessment.submitted_at)
    return submitted if assessment.critical_flag else add_months(submitted, months)


def open_actions(**filters):
    return (
        Action.objects.filter(status=Action.Status.OPEN, **filters)
        .select_related("owner", "venue", "group", "answer__question")
        .order_by("due_on")
    )


def feedback_results(group, venue, period):
    """Averages and comments for one period, or only the count while under the threshold."""
    rows = FeedbackResponse.objects.filter(group=group, venue=venue, period=period)
    summary = rows.aggregate(
        count=Count("id"), **{f: Avg(f) for f in FeedbackResponse.SCORE_FIELDS}
    )
    count = summary.pop("count")
    if count < FEEDBACK_THRESHOLD:
        return {"count": count, "shown": False, "needed": FEEDBACK_THRESHOLD - count}
    labels = {
        f: FeedbackResponse._meta.get_field(f).verbose_name for f in FeedbackResponse.SCORE_FIELDS
    }
    return {
        "count": count,
        "shown": True,
        "averages": [(labels[f], round(summary[f], 1)) for f in FeedbackResponse.SCORE_FIELDS],
        "overall": round(sum(summary.values()) / len(summary), 1),
        "comments": list(rows.exclude(comment="").order_by("?").values_list("comment", flat=True)),
    }


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
