"""Peers' anonymous "how safe did you feel here" answers.

An answer joins the pool of its group and venue; the pool is released as one batch
when at least THRESHOLD of its answers count (docs/privacy.md). Every write below
keeps the promise that nothing stored ties an answer to the person who gave it.
"""

import secrets
import uuid

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from ..models import (
    THRESHOLD,
    FeedbackReceipt,
    FeedbackRelease,
    PoolCount,
    PooledAnswer,
    ReleasedAnswer,
    VenueUse,
)
from ..selectors import counts_from, current_period, has_answered
from ..summary import refresh as refresh_summary
from .errors import VenueError

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
