from .assessments import NOTE_LIMIT, Action, Answer, Assessment
from .feedback import SCALE, FeedbackReceipt, FeedbackResponse
from .library import AppliesTo, Question, Section, Template, Venue, VenueUse

__all__ = [
    "NOTE_LIMIT",
    "SCALE",
    "Action",
    "AppliesTo",
    "Answer",
    "Assessment",
    "FeedbackReceipt",
    "FeedbackResponse",
    "Question",
    "Section",
    "Template",
    "Venue",
    "VenueUse",
]
