"""Actions on what a venue check found unsafe: opening one and closing it."""

from django.db import transaction
from django.utils import timezone

from .. import emails
from ..models import Action
from ..selectors import possible_owners
from ..summary import refresh as refresh_summary
from .errors import VenueError


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
