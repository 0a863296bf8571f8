"""The session card: what a facilitator reads at the start of a meeting, on a phone, on a
projector or printed: the rules in short, what stays in the room and its limits, where to
take a moment away, open concerns about the place, and who has not yet agreed."""

from django.shortcuts import render
from django.utils import timezone

from groundrules import selectors as rules_selectors
from groundrules.facts import rules_facts
from groundrules.models import Category, Version
from groups.shortcuts import get_group
from venues import selectors as venue_selectors
from venues.facts import venue_facts


def session_card(request, slug, printable=False):
    group = get_group(request, slug, "groundrules.view_rules")
    current = rules_selectors.version_by_status(group, Version.Status.ADOPTED)
    rules = list(current.rules.all()) if current else []
    see_names = request.user.has_perm("groundrules.see_answers", group)
    waiting = (
        list(rules_selectors.newcomers_waiting(group, current)) if see_names and current else []
    )
    facts = rules_facts([group.pk])[group.pk]
    # Concerns about the place come from the venue checks: for those who may read them.
    see_checks = request.user.has_perm("venues.view_assessments", group)
    venues = venue_facts([group.pk])[group.pk] if see_checks else None
    return render(
        request,
        "dashboard/session_card_print.html" if printable else "dashboard/session_card.html",
        {
            "group": group,
            "current": current,
            "rules": rules,
            "confidentiality": [r for r in rules if r.category == Category.CONFIDENTIALITY],
            "rulebook": rules_selectors.rulebook_of(group),
            "waiting": waiting,
            "waiting_count": len(facts.waiting_user_ids) if current else 0,
            "see_checks": see_checks,
            "flagged": [v for v in venues.venues if v.latest is not None and v.latest.critical_flag]
            if venues
            else [],
            "actions": list(venue_selectors.open_actions(group=group)) if see_checks else [],
            "today": timezone.localdate(),
        },
    )


def session_card_print(request, slug):
    return session_card(request, slug, printable=True)
