"""The one place venue scores are computed, from stored answers.

Per section, over questions answered Yes, Partly or No: the safe answer counts
1, Partly ½, the unsafe answer 0, as a percentage. Not applicable is left out.
Don't know is not a score at all: it is counted and shown as a gap. Most
questions are worded so that Yes is the safe answer; a few keep the toolkit's
wording, where No is (`Question.safe_answer`).
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

SAFE, PARTLY, UNSAFE = Decimal(1), Decimal("0.5"), Decimal(0)


def points(question, value) -> Decimal:
    if value == "partly":
        return PARTLY
    return SAFE if value == question.safe_answer else UNSAFE


@dataclass
class SectionScore:
    score: Decimal | None = None  # percentage with one decimal, None when nothing scored
    scored: int = 0
    gaps: int = 0  # answered "don't know"
    not_applicable: int = 0
    unanswered: int = 0


@dataclass
class Result:
    sections: dict = field(default_factory=dict)
    critical_flag: bool = False
    attention: list = field(default_factory=list)  # (question, value): unsafe or Partly
    flagged: list = field(default_factory=list)  # critical questions answered unsafely


def score(questions, answers_by_question_id) -> Result:
    """`questions`: the applicable questions; `answers_by_question_id`: id -> answer value."""
    result = Result()
    totals = {}
    for question in questions:
        section = result.sections.setdefault(question.section, SectionScore())
        value = answers_by_question_id.get(question.pk)
        if value is None:
            section.unanswered += 1
        elif value == "na":
            section.not_applicable += 1
        elif value == "dont_know":
            section.gaps += 1
        else:
            section.scored += 1
            total = totals.get(question.section, Decimal(0))
            totals[question.section] = total + points(question, value)
            if question.needs_attention(value):
                result.attention.append((question, value))
            if question.raises_flag(value):
                result.critical_flag = True
                result.flagged.append(question)
    for name, section in result.sections.items():
        if section.scored:
            pct = totals[name] * 100 / section.scored
            section.score = pct.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return result
