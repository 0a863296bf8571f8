"""Reviewing the rules, and the confidential log of rules being broken."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from groups.conflicts import EditConflict, conflict_page
from groups.shortcuts import get_group

from .. import facts, selectors, services
from ..forms import BreachForm, ReviewForm, ReviewIntervalForm
from ..models import Rulebook, Version


def review_list(request, slug):
    group = get_group(request, slug, "groundrules.view_rules")
    current = selectors.version_by_status(group, Version.Status.ADOPTED)
    rulebook = selectors.rulebook_of(group)
    may_record = request.user.has_perm("groundrules.record_review", group)
    interval_form = ReviewIntervalForm(instance=rulebook or Rulebook(group=group))
    if request.method == "POST":
        if not may_record:
            raise PermissionDenied
        interval_form = ReviewIntervalForm(request.POST, instance=rulebook or Rulebook(group=group))
        if interval_form.is_valid():
            try:
                services.save_review_interval(
                    group=group,
                    months=interval_form.cleaned_data["review_every_months"],
                    by=request.user,
                    base=interval_form.cleaned_data["base"],
                )
            except EditConflict as conflict:
                return conflict_page(
                    request,
                    conflict,
                    form=interval_form,
                    context={"group": group},
                    back_url=reverse("groundrules:reviews", args=[group.slug]),
                )
            messages.success(request, _("How often the rules are reviewed has been saved."))
            return redirect("groundrules:reviews", slug=group.slug)
    due = facts.next_review(current) if current else None
    return render(
        request,
        "groundrules/review_list.html",
        {
            "group": group,
            "current": current,
            "reviews": selectors.reviews_of(group),
            "due": due,
            "overdue": due is not None and due < timezone.localdate(),
            "may_record": may_record,
            "interval_form": interval_form if may_record else None,
        },
    )


def review_new(request, slug):
    group = get_group(request, slug, "groundrules.record_review")
    current = selectors.version_by_status(group, Version.Status.ADOPTED)
    if current is None:
        messages.info(request, _("Reviews start once the group has adopted its ground rules."))
        return redirect("groundrules:reviews", slug=group.slug)
    last = selectors.reviews_of(group).first()
    flagged = selectors.rules_flagged_not_working(group, since=last.held_on if last else None)
    flagged_lineages = {r.lineage for r in flagged}
    flagged_ids = [r.pk for r in current.rules.all() if r.lineage in flagged_lineages]
    form = ReviewForm(
        request.POST or None,
        version=current,
        rules=current.rules.all(),
        flagged=flagged_ids,
        initial={"held_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.record_review(
            group=group,
            by=request.user,
            held_on=data["held_on"],
            participants=data["participants"],
            outcome=data["outcome"],
            notes=data["notes"],
            items=form.items(),
        )
        if data["outcome"] == "revise":
            messages.success(
                request, _("Review saved. A new draft has been started with your notes.")
            )
            return redirect("groundrules:draft", slug=group.slug)
        messages.success(request, _("Review saved."))
        return redirect("groundrules:reviews", slug=group.slug)
    return render(
        request,
        "groundrules/review_form.html",
        {
            "group": group,
            "form": form,
            "flagged_count": len(flagged_ids),
        },
    )


def review_detail(request, slug, review):
    group = get_group(request, slug, "groundrules.view_rules")
    found = selectors.review_with_items(group, review)
    if found is None:
        raise Http404
    return render(request, "groundrules/review_detail.html", {"group": group, "review": found})


def breach_list(request, slug):
    group = get_group(request, slug, "groundrules.view_breaches")
    current = selectors.version_by_status(group, Version.Status.ADOPTED)
    may_record = request.user.has_perm("groundrules.record_breach", group)
    rules = current.rules.all() if current else []
    form = None
    if may_record and current is not None:
        form = BreachForm(
            request.POST or None,
            rules=rules,
            keep_months=group.organisation.breach_retention_months,
            initial={"occurred_on": timezone.localdate()},
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            services.record_breach(
                group=group,
                by=request.user,
                occurred_on=data["occurred_on"],
                rules=data["rules"],
                what_happened=data["what_happened"],
                agreed_response=data["agreed_response"],
                response_taken=data["response_taken"],
                follow_up=data["follow_up"],
                not_working=data["not_working"],
            )
            messages.success(request, _("The record has been saved."))
            return redirect("groundrules:breaches", slug=group.slug)
    elif request.method == "POST" and may_record:
        messages.info(request, _("The breach log starts once the group has adopted ground rules."))
        return redirect("groundrules:breaches", slug=group.slug)
    elif request.method == "POST":
        raise PermissionDenied
    services.note_breach_log_read(group=group, by=request.user)
    return render(
        request,
        "groundrules/breach_list.html",
        {
            "group": group,
            "breaches": selectors.breaches_of(group),
            "form": form,
            "retention": group.organisation.breach_retention_months,
        },
    )


def breach_delete(request, slug, breach):
    """Ask first (GET), then delete the record (POST)."""
    group = get_group(request, slug, "groundrules.record_breach")
    found = get_object_or_404(selectors.breaches_of(group), uuid=breach)
    if request.method != "POST":
        services.note_breach_log_read(group=group, by=request.user, breach=found)
        return render(request, "groundrules/breach_delete.html", {"group": group, "breach": found})
    services.delete_breach(found, by=request.user)
    messages.success(request, _("The record has been deleted."))
    return redirect("groundrules:breaches", slug=group.slug)
