from .proposals import Proposal, ProposalComment
from .reminders import RoundReminder
from .reviews import Breach, Review, ReviewItem
from .talks import TalkRequest
from .versions import (
    COMMENT_LIMIT,
    RULE_PARTS,
    SHORT_LIMIT,
    TEXT_LIMIT,
    Agreement,
    Category,
    Rule,
    Rulebook,
    SuggestionsFrom,
    Version,
    hash_rules,
)

__all__ = [
    "COMMENT_LIMIT",
    "RULE_PARTS",
    "SHORT_LIMIT",
    "TEXT_LIMIT",
    "Agreement",
    "Breach",
    "Category",
    "Proposal",
    "ProposalComment",
    "Review",
    "ReviewItem",
    "RoundReminder",
    "Rule",
    "Rulebook",
    "SuggestionsFrom",
    "TalkRequest",
    "Version",
    "hash_rules",
]
