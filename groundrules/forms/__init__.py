"""Forms for ground rules, by the part of the app that shows them (as the views are)."""

from .drafting import ReviewIntervalForm, RulebookForm, RuleForm, StarterForm
from .proposals import CommentForm, DecisionForm, ProposalForm
from .reading import CompareForm
from .reviews import BreachForm, ReviewForm
from .rounds import AnswerForm, OpenRoundForm, OutcomeForm, RuleByRuleForm, TalkedAboutForm

__all__ = [
    "AnswerForm",
    "BreachForm",
    "CommentForm",
    "CompareForm",
    "DecisionForm",
    "OpenRoundForm",
    "OutcomeForm",
    "ProposalForm",
    "ReviewForm",
    "ReviewIntervalForm",
    "RuleByRuleForm",
    "RuleForm",
    "RulebookForm",
    "StarterForm",
    "TalkedAboutForm",
]
