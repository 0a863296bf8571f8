"""The one place venue scores are computed, from stored answers.

Per section, over questions answered Yes, Partly or No: Yes counts 1, Partly
½, No 0, as a percentage. Not applicable is left out. Don't know is not a
score at all: it is counted and shown as a gap. Every question is worded so
that Yes is the safe answer.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

POINTS = {"yes": Decimal(1), "partly": Decimal("0.5"), "no": Decimal(0)}


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
    attention: list = field(default_factory=list)  # (question, value) for No and Partly


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
            totals[question.section] = totals.get(question.section, Decimal(0)) + POINTS[value]
            if value in ("no", "partly"):
                result.attention.append((question, value))
            if value == "no" and question.critical:
                result.critical_flag = True
    for name, section in result.sections.items():
        if section.scored:
            pct = totals[name] * 100 / section.scored
            section.score = pct.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return result
