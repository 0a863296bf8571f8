from .assessments import NOTE_LIMIT, REOPEN_WINDOW, Action, Answer, Assessment
from .feedback import (
    SCALE,
    THRESHOLD,
    AnswerFields,
    FeedbackReceipt,
    FeedbackRelease,
    PoolCount,
    PooledAnswer,
    ReleasedAnswer,
)
from .library import AppliesTo, Question, Section, Template, Venue, VenueUse

__all__ = [
    "NOTE_LIMIT",
    "REOPEN_WINDOW",
    "SCALE",
    "THRESHOLD",
    "Action",
    "AnswerFields",
    "AppliesTo",
    "Answer",
    "Assessment",
    "FeedbackReceipt",
    "FeedbackRelease",
    "PoolCount",
    "PooledAnswer",
    "Question",
    "ReleasedAnswer",
    "Section",
    "Template",
    "Venue",
    "VenueUse",
]
