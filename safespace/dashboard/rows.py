"""Dashboard rows read from groups' summary rows (groups.summaries), not worked out.

`summary_reasons` says which needs-attention reasons a summary's columns give, as
table.build_rows does from the apps' facts; the dashboard registers `derive` so every
summary row also keeps its urgency for a coordinator (the sum of WEIGHTS) and which
reasons apply (REASON_BITS), which the dashboard's rows, its counts and each reason's
first groups read back (`reasons_of`). `SummaryRow` shows a summary row to the same
template as table.Row.
"""

import hashlib
from datetime import date
from functools import cache, cached_property
from operator import attrgetter
from types import SimpleNamespace

from groups.models import Group, GroupSummary

from .table import REASONS, WEIGHTS


def summary_reasons(values) -> list:
    """The reasons that apply for a coordinator, in REASONS order; `values` maps the
    summary's columns."""
    has_rules = values["current_version"] is not None
    applies = {
        "critical": values["critical_flag"],
        "concern": values["concerns_to_coordinators"] > 0,
        "peers_low": values["peers_low"],
        "disagree": values["disagreement"],
        "overdue_actions": values["overdue_actions"] > 0,
        "no_rules": not has_rules,
        "review_overdue": values["review_overdue"],
        "not_agreed": has_rules and not values["all_agreed"],
        "reassessment": values["check_due"],
    }
    return [key for key in REASONS if applies[key]]


# Each reason's bit in a summary row's `reasons`. Kept rows hold these numbers: a bit is
# never given to another reason (a new reason takes a new bit, and the rows are worked
# out again: `refresh_summaries`).
REASON_BITS = {
    "critical": 1,
    "concern": 2,
    "peers_low": 4,
    "disagree": 8,
    "overdue_actions": 16,
    "no_rules": 32,
    "review_overdue": 64,
    "not_agreed": 128,
    "reassessment": 256,
}


def reasons_of(bits: int) -> list:
    """The reasons a row's kept `reasons` bits say, in REASONS order."""
    return [key for key in REASONS if bits & REASON_BITS[key]]


def derive(values) -> dict:
    applies = summary_reasons(values)
    return {
        "urgency": sum(WEIGHTS[key] for key in applies),
        "reasons": sum(REASON_BITS[key] for key in applies),
    }


# Summary columns the cells never show.
UNSHOWN = {"created", "updated", "computed_on"}


def _check(place):
    if place["checked"] is None:
        return None
    return SimpleNamespace(
        being_safe_score=place["being"],
        feeling_safe_score=place["feeling"],
        submitted_at=date.fromisoformat(place["checked"]),
        critical_flag=place["critical"],
    )


class SummaryRow:
    """One group's row of the dashboard from its summary row (its columns as attributes,
    a GroupSummary's or read as values): the attributes of table.Row that the dashboard's
    cells read, worked out only when a row is rendered (a row already kept by its
    content_key is not)."""

    def __init__(self, summary, facilitators):
        self._summary = summary
        self.facilitators = facilitators
        self.members = summary.members

    @cached_property
    def group(self):
        """The group as its summary row keeps it: no need to read the group itself."""
        s = self._summary
        return Group(pk=s.group_id, name=s.name, slug=s.slug, format=s.format)

    @cached_property
    def rules(self):
        s = self._summary
        return SimpleNamespace(
            status=s.rules_status,
            members=s.members,
            current=SimpleNamespace(number=s.current_version) if s.current_version else None,
            agreed_current=s.agreed_current,
            talk_current=s.answered_current - s.agreed_current,
            not_answered_current=s.members - s.answered_current,
            in_round=SimpleNamespace(number=s.round_version) if s.round_version else None,
            round_agreed=s.round_agreed,
            round_talk=s.round_answered - s.round_agreed,
            round_not_answered=s.members - s.round_answered,
            next_review=s.next_review,
            review_overdue=s.review_overdue,
            breaches_90d=s.breaches_90d,
        )

    @cached_property
    def venues(self):
        s = self._summary
        places = [
            SimpleNamespace(venue_name=p["name"], latest=_check(p), overdue=p["due"])
            for p in s.places
        ]
        peers = None
        if s.peer_answers:
            peers = SimpleNamespace(
                score=s.peers_score,
                count=s.peer_answers,
                current=s.peers_current,
                period=s.peers_period,
            )
        return SimpleNamespace(
            venues=places,
            latest=places[0].latest if len(places) == 1 else None,
            critical_flag=s.critical_flag,
            reassessment_due=s.check_due,
            peers=peers,
            open_actions=s.open_actions,
            overdue_actions=s.overdue_actions,
        )

    @cached_property
    def reasons(self):
        return reasons_of(self._summary.reasons)

    @property
    def content_key(self) -> str:
        """A digest of everything the row shows (its summary's columns, which hold the
        group's name, address and format, and its facilitators): the same digest, the
        same row."""
        values = (self.facilitators, _shown_values(self._summary))
        return hashlib.sha256(repr(values).encode()).hexdigest()

    @property
    def reason_labels(self):
        return [REASONS[r] for r in self.reasons]


@cache
def _shown_getter():
    """Reads, in one call, the columns of a summary row that its dashboard row shows."""
    fields = GroupSummary._meta.concrete_fields
    return attrgetter(*(f.attname for f in fields if f.attname not in UNSHOWN))


def _shown_values(summary) -> tuple:
    return _shown_getter()(summary)
