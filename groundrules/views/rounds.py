"""Putting a version to the group, answering it, and adopting or withdrawing it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from groups.limits import LimitReached
from groups.rules import is_group_facilitator
from groups.shortcuts import get_group

from .. import selectors, services
from ..forms import AnswerForm, OutcomeForm
from ..models import Version
from .common import absolute, get_version


@require_POST
def round_open(request, slug, number):
    group = get_group(request, slug, "groundrules.run_round")
    version = get_version(group, number)
    try:
        services.open_round(
            version=version,
            by=request.user,
            link=absolute(request, "groundrules:answer", group, version.number),
        )
    except services.RulesError as error:
        messages.error(request, error.message)
        return redirect("groundrules:draft", slug=group.slug)
    messages.success(request, _("The draft is now with the group. Everyone has been emailed."))
    return redirect("groundrules:tracker", slug=group.slug, number=version.number)


def tracker(request, slug, number):
    group = get_group(request, slug, "groundrules.view_rules")
    version = get_version(group, number)
    if version.status == Version.Status.DRAFT:
        return redirect("groundrules:draft", slug=group.slug)
    members = list(selectors.members_with_answers(version))
    return render(
        request,
        "groundrules/tracker.html",
        {
            "group": group,
            "version": version,
            "members": members,
            "tally": selectors.tally(members),
            "see_answers": request.user.has_perm("groundrules.see_answers", group),
            # "Facilitators only" means the group's facilitators, not the coordinators.
            "read_private": is_group_facilitator(request.user, group),
            "may_run_round": request.user.has_perm("groundrules.run_round", group),
            "shared_comments": selectors.group_comments(version),
            "own_answer": selectors.own_answer(version, request.user),
            "outcome_form": OutcomeForm(),
        },
    )


def answer(request, slug, number):
    group = get_group(request, slug, "groundrules.view_rules")
    version = get_version(group, number)
    if version.status not in (Version.Status.IN_ROUND, Version.Status.ADOPTED):
        return redirect("groundrules:version", slug=group.slug, number=version.number)
    if not request.user.has_perm("groundrules.answer", group):
        raise PermissionDenied
    existing = selectors.own_answer(version, request.user)
    initial = {"content_hash": version.content_hash}
    if existing:
        initial.update(
            answer=existing.answer, comment=existing.comment, visibility=existing.visibility
        )
    form = AnswerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_agreement(
                version=version,
                user=request.user,
                answer=data["answer"],
                comment=data["comment"],
                visibility=data["visibility"],
                seen_hash=data["content_hash"],
            )
        except services.RulesError as error:
            messages.error(request, error.message)
            return redirect("groundrules:answer", slug=group.slug, number=version.number)
        messages.success(request, _("Thank you. Your answer has been saved."))
        return redirect("groundrules:home", slug=group.slug)
    return render(
        request,
        "groundrules/answer.html",
        {
            "group": group,
            "version": version,
            "rules": version.rules.all(),
            "form": form,
            "existing": existing,
        },
    )


@require_POST
def remind(request, slug, number):
    group = get_group(request, slug, "groundrules.run_round")
    version = get_object_or_404(selectors.versions(group).in_round(), number=number)
    try:
        sent = services.send_reminders(
            version=version,
            by=request.user,
            link=absolute(request, "groundrules:answer", group, version.number),
        )
    except LimitReached as limit:
        messages.info(request, limit.message)
    else:
        messages.success(request, _("Reminder sent to %(n)d people.") % {"n": sent})
    return redirect("groundrules:tracker", slug=group.slug, number=version.number)


@require_POST
def adopt(request, slug, number):
    group = get_group(request, slug, "groundrules.run_round")
    version = get_version(group, number)
    form = OutcomeForm(request.POST)
    if form.is_valid():
        try:
            services.adopt_version(
                version=version,
                by=request.user,
                outcome=form.cleaned_data["outcome"],
                link=absolute(request, "groundrules:home", group),
            )
        except services.RulesError as error:
            messages.error(request, error.message)
            return redirect("groundrules:tracker", slug=group.slug, number=version.number)
        messages.success(request, _("These are now the group's ground rules."))
        return redirect("groundrules:home", slug=group.slug)
    messages.error(request, _("The outcome can be up to 2,000 characters."))
    return redirect("groundrules:tracker", slug=group.slug, number=version.number)


@require_POST
def withdraw(request, slug, number):
    group = get_group(request, slug, "groundrules.run_round")
    version = get_version(group, number)
    form = OutcomeForm(request.POST)
    try:
        services.withdraw_round(
            version=version,
            by=request.user,
            outcome=form.cleaned_data["outcome"] if form.is_valid() else "",
        )
    except services.RulesError as error:
        messages.error(request, error.message)
        return redirect("groundrules:tracker", slug=group.slug, number=version.number)
    messages.success(request, _("The version was withdrawn. Carry on working on it in the draft."))
    return redirect("groundrules:draft", slug=group.slug)
