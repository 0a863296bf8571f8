"""Getting started and editing the group's draft."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from groups.conflicts import ChangedUnderneath, EditConflict, StampForm, conflict_page
from groups.shortcuts import get_group

from .. import diffs, selectors, services
from ..forms import OpenRoundForm, RulebookForm, RuleForm, StarterForm
from ..models import SHORT_LIMIT, Category, Rulebook, Version
from ..starters import starters_for


def getting_started(request, slug):
    group = get_group(request, slug, "groundrules.set_up")
    rulebook = selectors.rulebook_of(group) or Rulebook(group=group)
    form = RulebookForm(request.POST or None, instance=rulebook, group=group)
    if request.method == "POST" and form.is_valid():
        answers = dict(form.cleaned_data)
        base = answers.pop("base")
        try:
            saved = services.save_getting_started(
                group=group, answers=answers, by=request.user, base=base
            )
        except EditConflict as conflict:
            return conflict_page(
                request,
                conflict,
                form=form,
                context={"group": group},
                back_url=reverse("groundrules:home", args=[group.slug]),
            )
        if saved.want_rules == Rulebook.WantRules.NO:
            messages.success(
                request,
                _("Your decision has been saved. The group can come back to it at any time."),
            )
            return redirect("groundrules:home", slug=group.slug)
        messages.success(request, _("Your answers have been saved."))
        if selectors.versions(group).exists():
            return redirect("groundrules:home", slug=group.slug)
        return redirect("groundrules:starters", slug=group.slug)
    return render(request, "groundrules/getting_started.html", {"group": group, "form": form})


def starters(request, slug):
    group = get_group(request, slug, "groundrules.edit_draft")
    if selectors.versions(group).exists():
        # Starters are for a first draft only: a second submit must not add them twice.
        messages.info(
            request, _("The group already has ground rules. Suggest or add new rules in the draft.")
        )
        return redirect("groundrules:draft", slug=group.slug)
    rulebook = selectors.rulebook_of(group)
    if rulebook is not None and rulebook.want_rules == Rulebook.WantRules.NO:
        messages.info(
            request,
            _("The group decided not to have ground rules for now. Change that answer first."),
        )
        return redirect("groundrules:start", slug=group.slug)
    form = StarterForm(request.POST or None, starters=starters_for(group))
    if request.method == "POST" and form.is_valid():
        try:
            services.add_starters(group=group, by=request.user, keys=form.cleaned_data["starters"])
        except services.RulesError as error:
            messages.info(request, error.message)
        else:
            messages.success(
                request, _("Your draft is ready. Change the words to make them yours.")
            )
        return redirect("groundrules:draft", slug=group.slug)
    return render(request, "groundrules/starters.html", {"group": group, "form": form})


def _new_rule_form(group, data=None):
    """A form for a new rule, offering the group's agreed response to a broken rule."""
    rulebook = selectors.rulebook_of(group)
    initial = {"if_broken": rulebook.if_broken[:SHORT_LIMIT]} if rulebook else {}
    return RuleForm(data, initial=initial)


def _draft_or_404(group):
    return get_object_or_404(selectors.versions(group).draft())


def draft(request, slug):
    group = get_group(request, slug, "groundrules.view_rules")
    version = selectors.version_by_status(group, Version.Status.DRAFT)
    may_edit = request.user.has_perm("groundrules.edit_draft", group)
    may_run_round = request.user.has_perm("groundrules.run_round", group)
    rows = []
    in_round = None
    if version is not None:
        if may_run_round:
            # Only one version can be with the group at a time: say so before the button.
            in_round = selectors.versions(group).in_round().first()
        base = version.based_on
        old_rules = list(base.rules.all()) if base else []
        rows = diffs.rule_diff(old_rules, list(version.rules.all()))
    return render(
        request,
        "groundrules/draft.html",
        {
            "group": group,
            "version": version,
            "rows": rows,
            "may_edit": may_edit,
            "may_run_round": may_run_round,
            "in_round": in_round,
            "form": _new_rule_form(group) if may_edit else None,
            "open_form": OpenRoundForm() if may_run_round else None,
            # Every group is prompted to have a rule on confidentiality and its limits.
            "has_confidentiality": version is None
            or any(r.category == Category.CONFIDENTIALITY for r in version.rules.all()),
        },
    )


@require_POST
def start_draft(request, slug):
    group = get_group(request, slug, "groundrules.edit_draft")
    services.start_draft(group=group, by=request.user)
    return redirect("groundrules:draft", slug=group.slug)


def rule_add(request, slug):
    group = get_group(request, slug, "groundrules.edit_draft")
    version = _draft_or_404(group)
    form = _new_rule_form(group, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_rule(version=version, fields=form.cleaned_data, by=request.user)
        except services.RulesError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The rule has been added to the draft."))
        return redirect("groundrules:draft", slug=group.slug)
    return render(request, "groundrules/rule_form.html", {"group": group, "form": form})


def _draft_rule(group, rule_uuid):
    return get_object_or_404(selectors.draft_rules(group), uuid=rule_uuid)


def rule_edit(request, slug, rule):
    group = get_group(request, slug, "groundrules.edit_draft")
    target = _draft_rule(group, rule)
    form = RuleForm(request.POST or None, instance=target)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in RuleForm.Meta.fields}
        try:
            services.update_rule(
                rule=target, fields=fields, by=request.user, base=form.cleaned_data["base"]
            )
        except EditConflict as conflict:
            return conflict_page(
                request,
                conflict,
                form=form,
                context={"group": group},
                back_url=reverse("groundrules:draft", args=[group.slug]),
            )
        except services.RulesError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The rule has been changed."))
        return redirect("groundrules:draft", slug=group.slug)
    return render(
        request,
        "groundrules/rule_form.html",
        {
            "group": group,
            "form": form,
            "rule": target,
        },
    )


def rule_delete(request, slug, rule):
    """Ask first (GET), then take the rule out of the draft (POST), unless it was changed
    since the question was shown."""
    group = get_group(request, slug, "groundrules.edit_draft")
    target = _draft_rule(group, rule)
    form = StampForm(request.POST or None, stamped=target)
    if request.method != "POST":
        return render(
            request,
            "groundrules/rule_delete.html",
            {"group": group, "rule": target, "form": form},
        )
    if not form.is_valid():
        messages.error(request, _("The rule has not been taken out: please try again."))
        return redirect("groundrules:rule_delete", slug=group.slug, rule=target.uuid)
    try:
        services.delete_rule(rule=target, base=form.cleaned_data["base"])
    except ChangedUnderneath as changed:
        messages.error(request, changed.message)
        return redirect("groundrules:rule_delete", slug=group.slug, rule=target.uuid)
    except services.RulesError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The rule has been taken out of the draft."))
    return redirect("groundrules:draft", slug=group.slug)


@require_POST
def rule_move(request, slug, rule):
    group = get_group(request, slug, "groundrules.edit_draft")
    target = _draft_rule(group, rule)
    try:
        services.move_rule(rule=target, up=request.POST.get("direction") == "up")
    except services.RulesError as error:
        messages.error(request, error.message)
    return redirect("groundrules:draft", slug=group.slug)
