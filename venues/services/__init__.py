"""State changes for venues, each in one transaction: the library of venues (library),
the questions a check asks (templates), checks and their answers (assessments), actions
on what a check found (actions), peers' anonymous answers (feedback), reminder emails
(reminders) and a member's erasure (erasure)."""

from .actions import close_action, create_action
from .assessments import (
    AnswersChanged,
    reopen_assessment,
    save_answers,
    start_assessment,
    submit_assessment,
)
from .erasure import forget_member
from .errors import VenueError
from .feedback import give_feedback, release_due_feedback
from .library import add_venue_for_group, save_venue, set_group_venues, update_venue
from .reminders import remind_due
from .templates import (
    add_question,
    edit_question,
    ensure_template,
    move_question,
    new_template_version,
    retire_question,
)

__all__ = [
    "AnswersChanged",
    "VenueError",
    "add_question",
    "add_venue_for_group",
    "close_action",
    "create_action",
    "edit_question",
    "ensure_template",
    "forget_member",
    "give_feedback",
    "move_question",
    "new_template_version",
    "release_due_feedback",
    "remind_due",
    "reopen_assessment",
    "retire_question",
    "save_answers",
    "save_venue",
    "set_group_venues",
    "start_assessment",
    "submit_assessment",
    "update_venue",
]
