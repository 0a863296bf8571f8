"""Reading a group's ground rules: current rules, history, differences, print."""

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from groups.shortcuts import get_group

from .. import diffs, facts, selectors
from ..forms import CompareForm
from ..models import Version
from .common import get_version


def rules_home(request, slug):
    group = get_group(request, slug, "groundrules.view_rules")
    live = selectors.live_versions(group)
    current = live.get(Version.Status.ADOPTED)
    in_round = live.get(Version.Status.IN_ROUND)
    draft = live.get(Version.Status.DRAFT)
    own_answer = None
    if in_round is not None:
        own_answer = selectors.own_answer(in_round, request.user)
    rulebook = selectors.rulebook_of(group)
    next_review = facts.next_review(current) if current else None
    waiting = []
    if current is not None and request.user.has_perm("groundrules.see_answers", group):
        waiting = list(selectors.newcomers_waiting(group, current))
    suggestions = list(selectors.suggestions_behind(current)) if current else []
    rules = selectors.rules_in(current) if current else []
    return render(
        request,
        "groundrules/rules_home.html",
        {
            "group": group,
            "current": current,
            "rules": rules,
            "suggested_by": _names(p.proposed_by for p in suggestions),
            "decided_by": _names(p.decided_by for p in suggestions),
            "suggestion_count": len(suggestions),
            "in_round": in_round,
            "draft": draft,
            "own_answer": own_answer,
            "waiting": waiting,
            "open_proposals": selectors.open_proposal_count(group),
            "rulebook": rulebook,
            "next_review": next_review,
            "today": timezone.localdate(),
            "review_overdue": next_review is not None and next_review < timezone.localdate(),
        },
    )


def _names(people) -> list:
    """Display names, each once, in the order met; "a former member" for anyone gone."""
    names = []
    for person in people:
        name = person.display_name if person else _("a former member")
        if name not in names:
            names.append(name)
    return names


def version_list(request, slug):
    group = get_group(request, slug, "groundrules.view_rules")
    return render(
        request,
        "groundrules/version_list.html",
        {
            "group": group,
            "versions": selectors.versions_of(group).select_related("closed_by"),
        },
    )


def version_detail(request, slug, number):
    group = get_group(request, slug, "groundrules.view_rules")
    version = get_version(group, number)
    return render(
        request,
        "groundrules/version_detail.html",
        {
            "group": group,
            "version": version,
            "rules": version.rules.all(),
        },
    )


def compare(request, slug):
    group = get_group(request, slug, "groundrules.view_rules")
    versions = list(selectors.versions_of(group).order_by("number"))
    numbers = [v.number for v in versions]
    defaults = {
        "newer": numbers[-1] if numbers else None,
        "older": numbers[-2] if len(numbers) > 1 else (numbers[0] if numbers else None),
    }
    form = CompareForm(request.GET or None, versions=versions, initial=defaults)
    chosen = form.cleaned_data if form.is_bound and form.is_valid() else defaults
    rows = []
    if numbers:
        old_version = get_version(group, chosen["older"])
        new_version = get_version(group, chosen["newer"])
        rows = diffs.rule_diff(list(old_version.rules.all()), list(new_version.rules.all()))
    return render(
        request,
        "groundrules/compare.html",
        {
            "group": group,
            "versions": versions,
            "form": form,
            "rows": rows,
        },
    )


def print_rules(request, slug, handout=False):
    group = get_group(request, slug, "groundrules.view_rules")
    current = selectors.version_by_status(group, Version.Status.ADOPTED)
    template = "groundrules/handout.html" if handout else "groundrules/print.html"
    return render(
        request,
        template,
        {
            "group": group,
            "version": current,
            "rules": current.rules.all() if current else [],
        },
    )


def handout(request, slug):
    return print_rules(request, slug, handout=True)
