"""State changes for ground rules. Each runs in one transaction.

Concurrency: every change to a version or its rules first locks the version
row, so editing a draft and putting it to the group are serialised: the text
that is hashed when a round opens is exactly the text members answer to.
Whatever creates a version or moves one between statuses (starting a draft,
opening, adopting, withdrawing) first takes `lock_group_versions`: the group
row, then its versions. So two adoptions cannot both succeed, two people
starting the first draft of a group with no versions get the same one, and
these changes always lock in the same order (no deadlocks between them).
"""

from .drafting import (
    add_rule,
    add_starters,
    delete_rule,
    move_rule,
    save_getting_started,
    start_draft,
    update_rule,
)
from .erasure import forget_member
from .locks import RulesError
from .proposals import accept_proposal, add_comment, decline_proposal, propose
from .reviews import (
    delete_breach,
    note_breach_log_read,
    purge_expired_breaches,
    record_breach,
    record_review,
    remind_due_reviews,
    save_review_interval,
)
from .rounds import (
    adopt_version,
    mark_talked_about,
    open_round,
    record_agreement,
    record_rule_answers,
    remind_open_rounds,
    send_reminders,
    withdraw_round,
)

__all__ = [
    "RulesError",
    "accept_proposal",
    "add_comment",
    "add_rule",
    "add_starters",
    "adopt_version",
    "decline_proposal",
    "delete_breach",
    "delete_rule",
    "forget_member",
    "mark_talked_about",
    "move_rule",
    "note_breach_log_read",
    "open_round",
    "propose",
    "purge_expired_breaches",
    "record_agreement",
    "record_breach",
    "record_rule_answers",
    "record_review",
    "remind_due_reviews",
    "remind_open_rounds",
    "save_getting_started",
    "save_review_interval",
    "send_reminders",
    "start_draft",
    "update_rule",
    "withdraw_round",
]
