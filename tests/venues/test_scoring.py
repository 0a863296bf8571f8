"""Scores are computed from stored answers by one function: hand-worked examples."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from venues.models import Question
from venues.scoring import score


def q(pk, section="being_safe", critical=False, safe_answer="yes"):
    return Question(pk=pk, section=section, critical=critical, safe_answer=safe_answer)


def test_yes_partly_no_and_exclusions():
    questions = [q(1), q(2), q(3), q(4), q(5), q(6)]
    answers = {1: "yes", 2: "partly", 3: "no", 4: "na", 5: "dont_know"}
    result = score(questions, answers)
    section = result.sections["being_safe"]
    # (1 + 0.5 + 0) / 3 = 50%: N/A left out, don't know is a gap, 6 is unanswered
    assert section.score == Decimal("50.0")
    assert (section.scored, section.gaps, section.not_applicable, section.unanswered) == (
        3,
        1,
        1,
        1,
    )
    assert [value for _q, value in result.attention] == ["partly", "no"]
    assert result.critical_flag is False


def test_sections_are_scored_apart_and_rounded():
    questions = [q(1), q(2), q(3), q(4, "feeling_safe")]
    result = score(questions, {1: "yes", 2: "yes", 3: "partly", 4: "no"})
    assert result.sections["being_safe"].score == Decimal("83.3")  # 2.5 / 3
    assert result.sections["feeling_safe"].score == Decimal("0.0")


def test_only_dont_know_gives_no_score_not_a_yes():
    result = score([q(1), q(2)], {1: "dont_know", 2: "na"})
    assert result.sections["being_safe"].score is None
    assert result.sections["being_safe"].gaps == 1


def test_critical_no_flags_but_critical_partly_does_not():
    assert score([q(1, critical=True)], {1: "no"}).critical_flag is True
    assert score([q(1, critical=True)], {1: "partly"}).critical_flag is False
    assert score([q(1)], {1: "no"}).critical_flag is False


def test_where_no_is_safe_no_scores_and_yes_needs_attention():
    """ "Does the venue feel too clinical?": No is the safe answer."""
    clinical = q(1, "feeling_safe", safe_answer="no")
    assert score([clinical], {1: "no"}).sections["feeling_safe"].score == Decimal("100.0")
    assert score([clinical], {1: "yes"}).sections["feeling_safe"].score == Decimal("0.0")
    assert score([clinical], {1: "partly"}).sections["feeling_safe"].score == Decimal("50.0")
    assert score([clinical], {1: "no"}).attention == []
    assert [v for _q, v in score([clinical], {1: "yes"}).attention] == ["yes"]


def test_where_no_is_safe_a_critical_yes_flags_and_a_critical_no_does_not():
    critical = q(1, critical=True, safe_answer="no")
    assert score([critical], {1: "yes"}).critical_flag is True
    assert score([critical], {1: "yes"}).flagged == [critical]
    assert score([critical], {1: "no"}).critical_flag is False


VALUES = st.sampled_from(["yes", "partly", "no", "na", "dont_know"])


@given(
    st.lists(
        st.tuples(st.sampled_from(["being_safe", "feeling_safe"]), VALUES), min_size=1, max_size=40
    )
)
def test_scores_stay_between_0_and_100_and_ignore_na(items):
    questions = [q(i, section) for i, (section, _v) in enumerate(items)]
    answers = {i: value for i, (_s, value) in enumerate(items)}
    result = score(questions, answers)
    without_na = score(
        [qq for qq in questions if answers[qq.pk] != "na"],
        {k: v for k, v in answers.items() if v != "na"},
    )
    for name, section in result.sections.items():
        if section.score is not None:
            assert Decimal(0) <= section.score <= Decimal(100)
        if name in without_na.sections:
            assert section.score == without_na.sections[name].score
