"""Suggestions from members to add, change or remove a rule."""

import uuid

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from groups.shortcuts import get_group

from .. import diffs, selectors, services
from ..forms import CommentForm, DecisionForm, ProposalForm
from ..models import Proposal, Rule
from .common import absolute


def proposal_list(request, slug):
    group = get_group(request, slug, "groundrules.view_rules")
    return render(
        request,
        "groundrules/proposal_list.html",
        {
            "group": group,
            "proposals": selectors.proposals_of(group),
        },
    )


def _rule_asked_for(rules, value):
    """The rule named by a `?rule=` lineage in the address, among those a suggestion can be
    about; None for anything else."""
    try:
        lineage = uuid.UUID(str(value))
    except ValueError:
        return None
    return rules.filter(lineage=lineage).first()


def proposal_new(request, slug):
    group = get_group(request, slug, "groundrules.propose")
    rules = selectors.rules_to_target(group)
    form = ProposalForm(request.POST or None, rules=rules)
    showing, changed_meanwhile = None, False
    if request.method == "GET" and "rule" in request.GET:
        showing = _rule_asked_for(rules, request.GET["rule"][:64])
        if showing is not None:
            form = ProposalForm.changing(showing, rules=rules)
    if request.method == "POST" and form.is_valid():
        if form.needs_showing:
            showing, changed_meanwhile = form.cleaned_data["target"], form.changed_meanwhile
            form = ProposalForm.changing(
                showing,
                rules=rules,
                data=form.rebased or form.cleaned_data,
                exact=form.rebased is not None,
            )
        else:
            try:
                proposal = services.propose(
                    group=group,
                    by=request.user,
                    kind=form.cleaned_data["kind"],
                    target=form.cleaned_data.get("target"),
                    fields=form.proposal_fields(),
                    reason=form.cleaned_data["reason"],
                )
            except services.RulesError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Thank you. Your suggestion is now open for comments."))
                return redirect("groundrules:proposal", slug=group.slug, proposal=proposal.uuid)
    return render(
        request,
        "groundrules/proposal_form.html",
        {
            "group": group,
            "form": form,
            "showing": showing,
            "changed_meanwhile": changed_meanwhile,
        },
    )


def _proposal(group, proposal_uuid):
    return get_object_or_404(selectors.proposals_of(group), uuid=proposal_uuid)


def _detail(request, group, found, decision_form, status=200):
    changing = found.kind == Proposal.Kind.CHANGE
    return render(
        request,
        "groundrules/proposal_detail.html",
        {
            "group": group,
            "proposal": found,
            # The rule as it was when the change was suggested, and each part it changes.
            "before": Rule(**found.before()) if changing else None,
            "changes": diffs.part_changes(found.before(), found.after(), found.changed_parts())
            if changing
            else [],
            "comments": selectors.proposal_comments(found),
            "comment_form": CommentForm()
            if request.user.has_perm("groundrules.propose", group)
            else None,
            "decision_form": decision_form,
        },
        status=status,
    )


def proposal_detail(request, slug, proposal):
    group = get_group(request, slug, "groundrules.view_rules")
    found = _proposal(group, proposal)
    may_decide = request.user.has_perm("groundrules.decide_proposal", group)
    return _detail(
        request, group, found, DecisionForm() if may_decide and found.status == "open" else None
    )


@require_POST
def proposal_comment(request, slug, proposal):
    group = get_group(request, slug, "groundrules.propose")
    found = _proposal(group, proposal)
    form = CommentForm(request.POST)
    if form.is_valid():
        services.add_comment(proposal=found, by=request.user, text=form.cleaned_data["text"])
        messages.success(request, _("Your comment has been added."))
    else:
        messages.error(request, _("Please write a comment of up to 2,000 characters."))
    return redirect("groundrules:proposal", slug=group.slug, proposal=found.uuid)


@require_POST
def proposal_decide(request, slug, proposal):
    group = get_group(request, slug, "groundrules.decide_proposal")
    found = _proposal(group, proposal)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _detail(request, group, found, form, status=400)
    link = absolute(request, "groundrules:proposal", group, found.uuid)
    try:
        if form.cleaned_data["decision"] == "accept":
            services.accept_proposal(proposal=found, by=request.user, link=link)
            messages.success(request, _("The suggestion is now in the draft."))
        else:
            services.decline_proposal(
                proposal=found, by=request.user, reason=form.cleaned_data["reason"], link=link
            )
            messages.success(request, _("The suggestion has been declined."))
    except services.RulesError as error:
        messages.error(request, error.message)
    return redirect("groundrules:proposal", slug=group.slug, proposal=found.uuid)
