"""Matrix page specs: the safety dashboard, its CSV and print views, the trends and a
group's safety page, for organisation A, where group A is the only group.
"""

from django.urls import reverse
from django.utils import dateformat, timezone

from tests.matrix.page import Page, group_kwargs, org_kwargs
from tests.matrix.world import ACTION_WHAT, CURRENT_RULES, FEEDBACK_SCORE, ROOM
from venues import selectors as venue_selectors


def month_of(moment):
    return dateformat.format(timezone.localdate(moment), "F Y")


def trend_scores(check):
    """A month's row of the trends' venue scores, for a month with one check."""
    return (
        f'<th scope="row">{month_of(check.submitted_at)}</th>'
        f"<td>{round(check.being_safe_score)}%</td><td>{round(check.feeling_safe_score)}%</td>"
        "<td>1</td>"
    )


DASHBOARD_PAGES = {
    "dashboard": Page(
        kwargs=org_kwargs,
        private_object=True,
        shows=lambda w, role, actor: [
            "Group safety dashboard",
            w.cast.org_a.name,
            "Showing 1 group.",
            f'{reverse("safety", args=[w.cast.group_a.slug])}">{w.cast.group_a.name}</a>',
            w.cast.facilitator.display_name,
            f"{FEEDBACK_SCORE}.0 of 5 (3 answers)",
            "1 open",
        ],
    ),
    "dashboard_csv": Page(
        kwargs=org_kwargs,
        private_object=True,
        shows=lambda w, role, actor: [
            "group,format,facilitators,current_members,rules_status,",
            # 2 members, version 2 in a round, version 1 agreed by both, nobody has answered 2.
            f"{w.cast.group_a.name},in_person,{w.cast.facilitator.display_name},2,round,1,2,0,",
            # No critical flag (at no place); peers' 3 answers; 1 open action, none overdue;
            # 1 breach.
            f",no,,{FEEDBACK_SCORE}.0,3,{venue_selectors.current_period()},1,0,1,",
        ],
    ),
    "dashboard_print": Page(
        kwargs=org_kwargs,
        private_object=True,
        shows=lambda w, role, actor: [
            f"{w.cast.org_a.name}: group safety",
            f'<th scope="row">{w.cast.group_a.name}</th>',
            f"{FEEDBACK_SCORE}.0 of 5 (3 answers)",
        ],
    ),
    "trends": Page(
        kwargs=org_kwargs,
        private_object=True,
        shows=lambda w, role, actor: [
            "Trends over the last 12 months",
            f"{w.cast.org_a.name}: safety dashboard",
            # The room's two checks, in the months they were submitted ...
            *(trend_scores(check) for check in (w.venues.earlier, w.venues.latest)),
            # ... and the action opened this month.
            f'<th scope="row">{month_of(timezone.now())}</th><td>1</td><td>0</td>',
        ],
    ),
    "safety": Page(
        kwargs=group_kwargs,
        private_object=True,
        shows=lambda w, role, actor: [
            "Safety at a glance",
            w.cast.group_a.name,
            ROOM,
            f"{FEEDBACK_SCORE}.0 out of 5, from 3 answers released this quarter",
            "1 open",
        ],
    ),
    "session_card": Page(
        kwargs=group_kwargs,
        private_object=True,
        shows=lambda w, role, actor: session_card_shows(w, role),
    ),
    "session_card_print": Page(
        kwargs=group_kwargs,
        private_object=True,
        shows=lambda w, role, actor: [
            f"{w.cast.group_a.name}: before we begin",
            *session_card_shows(w, role),
        ],
    ),
}


def session_card_shows(w, role):
    """The rules in short; the venue's open action for those who read the venue checks."""
    return [
        "Our ground rules, in short",
        *CURRENT_RULES,
        "What stays in the room, and its limits",
        "Everyone in the group has agreed to these rules.",
        *([f"{ROOM}: {ACTION_WHAT}"] if role in ("coordinator", "facilitator") else []),
    ]
