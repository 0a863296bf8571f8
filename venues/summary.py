"""Venues' columns of each group's summary row (groups.summaries), from venue_facts."""

from django.utils import timezone

from groups import summaries

from .facts import venue_facts


def _score(value):
    return None if value is None else float(value)


def _place(state) -> dict:
    latest = state.latest
    return {
        "name": state.venue_name,
        "being": _score(latest.being_safe_score) if latest else None,
        "feeling": _score(latest.feeling_safe_score) if latest else None,
        "checked": timezone.localdate(latest.submitted_at).isoformat() if latest else None,
        "critical": bool(latest and latest.critical_flag),
        "due": state.overdue,
    }


def summary_part(group_ids, today) -> dict:
    rows = {}
    for gid, f in venue_facts(group_ids, today, compare=True).items():
        latest, peers = f.latest, f.peers
        rows[gid] = {
            "venues": len(f.venues),
            "places": [_place(v) for v in f.venues],
            "worst_being": f.worst_being,
            "worst_feeling": f.worst_feeling,
            "last_checked": timezone.localdate(latest.submitted_at) if latest else None,
            "critical_flag": f.critical_flag,
            "critical_venues": "; ".join(f.critical_venues),
            "check_due": bool(f.venues) and f.reassessment_due,
            "next_check": f.next_check,
            "peers_score": peers.score if peers else None,
            "peer_answers": peers.count if peers else None,
            "peers_period": peers.period if peers else "",
            "peers_current": peers.current if peers else False,
            "peers_low": f.peers_low,
            "disagreement": f.disagreement,
            "open_actions": f.open_actions,
            "overdue_actions": f.overdue_actions,
        }
    return rows


def refresh(group_ids) -> None:
    """After a change to this app's facts alone: its columns of the groups' summary rows
    worked out again, the others kept (groups.summaries.refresh)."""
    summaries.refresh(group_ids, only=summary_part)
