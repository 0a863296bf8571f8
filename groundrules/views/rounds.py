"""Putting a version to the group, answering it, and adopting or withdrawing it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from groups.conflicts import ChangedUnderneath
from groups.limits import LimitReached
from groups.rules import is_group_facilitator
from groups.shortcuts import get_group

from .. import diffs, selectors, services
from ..forms import AnswerForm, OpenRoundForm, OutcomeForm, RuleByRuleForm, TalkedAboutForm
from ..models import Agreement, Version
from .common import absolute, get_version


@require_POST
def round_open(request, slug, number):
    group = get_group(request, slug, "groundrules.run_round")
    version = get_version(group, number)
    form = OpenRoundForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["closes_on"]))
        return redirect("groundrules:draft", slug=group.slug)
    try:
        services.open_round(
            version=version,
            by=request.user,
            link=absolute(request, "groundrules:answer", group, version.number),
            closes_on=form.cleaned_data["closes_on"],
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
    return _tracker(request, group, version)


def _tracker(request, group, version, outcome_form=None, status=200):
    members = list(selectors.members_with_answers(version))
    talks = list(selectors.talk_requests(version))
    may_run_round = request.user.has_perm("groundrules.run_round", group)
    waiting = [t for t in talks if t.is_open]
    for talk in waiting if may_run_round else ():
        talk.done_form = TalkedAboutForm(prefix=f"talk-{talk.uuid}")
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
            "may_run_round": may_run_round,
            "talks": talks,
            "open_talks": len(waiting),
            "own_answer": selectors.own_answer(version, request.user),
            "outcome_form": outcome_form
            or OutcomeForm(
                waiting=waiting, initial={"seen": selectors.round_seen(version, members, talks)}
            ),
            "not_agreed": [m for m in members if m.answer != "agree"],
            "today": timezone.localdate(),
        },
        status=status,
    )


def answer(request, slug, number):
    """Read a version and answer it, all at once or rule by rule (`?by=rule`). A member
    who agreed to an earlier version reads first what has changed since."""
    group = get_group(request, slug, "groundrules.view_rules")
    version = get_version(group, number)
    if version.status not in (Version.Status.IN_ROUND, Version.Status.ADOPTED):
        return redirect("groundrules:version", slug=group.slug, number=version.number)
    if not request.user.has_perm("groundrules.answer", group):
        raise PermissionDenied
    rules = list(version.rules.all())
    by_rule = request.GET.get("by") == "rule"
    posted = request.POST if request.method == "POST" else None
    if posted is not None and not by_rule:
        # An answer to the whole version needs only its rules to be checked: what else the
        # page shows is read only if the page is shown again.
        form = AnswerForm(posted, rules=rules)
        if form.is_valid():
            return _record_answer(request, group, version, form, by_rule)
    existing = selectors.own_answer(version, request.user)
    my_talks = selectors.own_talk_requests(version, request.user)
    last = selectors.last_agreed_version(version, request.user)
    changes = diffs.rule_diff(list(last.rules.all()), rules) if last else []
    initial = {"content_hash": version.content_hash}
    if existing:
        initial.update(answer=existing.answer, visibility=existing.visibility)
    if by_rule:
        for talk in my_talks:
            if talk.is_open and talk.rule_id:
                initial[f"rule_{talk.rule_id}"] = Agreement.Answer.TALK
                initial[f"rule_{talk.rule_id}_comment"] = talk.comment
        form = RuleByRuleForm(
            posted,
            initial=initial,
            rules=rules,
            labels={row["new"].pk: row["change"] for row in changes if row["new"]},
        )
        if posted is not None and form.is_valid():
            return _record_answer(request, group, version, form, by_rule)
    elif posted is None:
        form = AnswerForm(initial=initial, rules=rules)
    return render(
        request,
        "groundrules/answer.html",
        {
            "group": group,
            "version": version,
            "rules": rules,
            "form": form,
            "by_rule": by_rule,
            "existing": existing,
            "my_talks": my_talks,
            "last": last,
            "changes": [row for row in changes if row["change"] != "same"],
            "unchanged": sum(1 for row in changes if row["change"] == "same"),
        },
    )


def _record_answer(request, group, version, form, by_rule):
    data = form.cleaned_data
    link = absolute(request, "groundrules:tracker", group, version.number)
    try:
        if by_rule:
            services.record_rule_answers(
                version=version,
                user=request.user,
                answers=form.answers(),
                visibility=data["visibility"],
                seen_hash=data["content_hash"],
                link=link,
            )
        else:
            services.record_agreement(
                version=version,
                user=request.user,
                answer=data["answer"],
                comment=data["comment"],
                visibility=data["visibility"],
                seen_hash=data["content_hash"],
                about=data["about"] if data["answer"] == Agreement.Answer.TALK else None,
                link=link,
            )
    except services.RulesError as error:
        messages.error(request, error.message)
        return redirect(request.get_full_path())
    messages.success(request, _("Thank you. Your answer has been saved."))
    return redirect("groundrules:home", slug=group.slug)


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
        if sent:
            messages.success(
                request,
                ngettext("Reminder sent to %(n)d person.", "Reminder sent to %(n)d people.", sent)
                % {"n": sent},
            )
        else:
            messages.info(
                request,
                _(
                    "Everyone who hasn't answered was reminded in the last few days. "
                    "Nobody was emailed."
                ),
            )
    return redirect("groundrules:tracker", slug=group.slug, number=version.number)


@require_POST
def adopt(request, slug, number):
    group = get_group(request, slug, "groundrules.run_round")
    version = get_version(group, number)
    form = OutcomeForm(request.POST, waiting=selectors.open_talk_requests(version))
    if not form.is_valid():
        return _tracker(request, group, version, outcome_form=form, status=400)
    try:
        services.adopt_version(
            version=version,
            by=request.user,
            outcome=form.cleaned_data["outcome"],
            notes=form.notes(),
            link=absolute(request, "groundrules:home", group),
            seen=form.cleaned_data["seen"],
        )
    except ChangedUnderneath as changed:
        return _changed_meanwhile(request, group, version, changed)
    except services.RulesError as error:
        messages.error(request, error.message)
        return redirect("groundrules:tracker", slug=group.slug, number=version.number)
    messages.success(request, _("These are now the group's ground rules."))
    return redirect("groundrules:home", slug=group.slug)


def _changed_meanwhile(request, group, version, changed):
    """The tracker again, as it is now, with what the facilitator wrote still in the form."""
    messages.error(request, changed.message)
    members = list(selectors.members_with_answers(version))
    talks = list(selectors.talk_requests(version))
    data = request.POST.copy()
    data["seen"] = selectors.round_seen(version, members, talks)
    form = OutcomeForm(data, waiting=[t for t in talks if t.is_open])
    return _tracker(request, group, version, outcome_form=form, status=409)


@require_POST
def talked_about(request, slug, number, talk):
    """Mark one talk request as talked about, with a short note."""
    group = get_group(request, slug, "groundrules.run_round")
    version = get_version(group, number)
    found = get_object_or_404(selectors.talk_requests(version), uuid=talk)
    form = TalkedAboutForm(request.POST, prefix=f"talk-{found.uuid}")
    if not form.is_valid():
        messages.error(request, _("Write a short note of what came of it (up to 300 characters)."))
    else:
        try:
            services.mark_talked_about(
                request=found, by=request.user, note=form.cleaned_data["note"]
            )
        except services.RulesError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Marked as talked about."))
    return redirect("groundrules:tracker", slug=group.slug, number=version.number)


@require_POST
def withdraw(request, slug, number):
    group = get_group(request, slug, "groundrules.run_round")
    version = get_version(group, number)
    form = OutcomeForm(request.POST)
    if not form.is_valid():
        return _tracker(request, group, version, outcome_form=form, status=400)
    try:
        services.withdraw_round(
            version=version,
            by=request.user,
            outcome=form.cleaned_data["outcome"],
            seen=form.cleaned_data["seen"],
        )
    except ChangedUnderneath as changed:
        return _changed_meanwhile(request, group, version, changed)
    except services.RulesError as error:
        messages.error(request, error.message)
        return redirect("groundrules:tracker", slug=group.slug, number=version.number)
    messages.success(request, _("The version was withdrawn. Carry on working on it in the draft."))
    return redirect("groundrules:draft", slug=group.slug)
