"""Ground rules' columns of each group's summary row (groups.summaries), from rules_facts."""

from groups import summaries

from .facts import rules_facts


def summary_part(group_ids, today) -> dict:
    return {
        gid: {
            "members": f.members,
            "rules_status": f.status,
            "current_version": f.current.number if f.current is not None else None,
            "agreed_current": f.agreed_current,
            "answered_current": f.answered_current,
            "all_agreed": f.all_agreed,
            "round_version": f.in_round.number if f.in_round is not None else None,
            "round_agreed": f.round_agreed,
            "round_answered": f.round_answered,
            "next_review": f.next_review,
            "review_overdue": f.review_overdue,
            "breaches_90d": f.breaches_90d,
        }
        for gid, f in rules_facts(group_ids, today).items()
    }


def refresh(group_ids) -> None:
    """After a change to this app's facts alone: its columns of the groups' summary rows
    worked out again, the others kept (groups.summaries.refresh)."""
    summaries.refresh(group_ids, only=summary_part)
