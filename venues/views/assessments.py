"""Filling in an assessment section by section, submitting it, and its actions."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from groups.conflicts import ChangedUnderneath
from groups.shortcuts import get_group

from .. import scoring, selectors, services
from ..forms import ActionForm, CloseActionForm, SubmitForm
from ..models import NOTE_LIMIT, Action, Section

SECTIONS = [Section.BEING_SAFE, Section.FEELING_SAFE]


def _assessment(request, slug, assessment_uuid, perm="venues.view_assessments", actions=True):
    group = get_group(request, slug, perm)
    found = selectors.assessment_in_group(group, assessment_uuid, actions=actions)
    if found is None:
        raise Http404
    return group, found


def _context(found):
    questions = selectors.questions_for(found)
    answers = {a.question_id: a for a in found.answers.all()}
    values = {qid: a.value for qid, a in answers.items()}
    result = scoring.score(questions, values)
    sections = []
    for section in SECTIONS:
        items = [q for q in questions if q.section == section]
        if items:
            sections.append(
                {
                    "key": section.value,
                    "label": section.label,
                    "questions": items,
                    "answered": sum(1 for q in items if q.pk in answers),
                    "score": result.sections.get(section.value),
                }
            )
    rows = [{"question": q, "answer": answers.get(q.pk)} for q in questions]
    return {
        "questions": questions,
        "answers": answers,
        "result": result,
        "sections": sections,
        "rows": rows,
        "complete": all(q.pk in answers for q in questions),
    }


def assessment(request, slug, assessment):
    group, found = _assessment(request, slug, assessment)
    context = _context(found)
    attention = [
        {"question": q, "answer": context["answers"][q.pk]} for q, _v in context["result"].attention
    ]
    return render(
        request,
        "venues/assessment.html",
        {
            "group": group,
            "assessment": found,
            "attention": attention,
            "may_assess": request.user.has_perm("venues.assess", group),
            "may_reopen": request.user.has_perm("venues.reopen_assessment", found),
            **context,
        },
    )


def submit(request, slug, assessment):
    """GET asks to confirm (what will be submitted, and what can still change); POST submits,
    unless the answers changed since that page was shown."""
    group, found = _assessment(request, slug, assessment, "venues.assess")
    if request.method == "POST":
        form = SubmitForm(request.POST)
        try:
            if not form.is_valid():
                raise ChangedUnderneath(_("Please open the page again: the form was incomplete."))
            services.submit_assessment(
                assessment=found, by=request.user, seen=form.cleaned_data["seen"]
            )
        except ChangedUnderneath as changed:
            messages.error(request, changed.message)
            return redirect("venues:submit", slug=group.slug, assessment=found.uuid)
        except services.VenueError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The assessment has been submitted."))
        return redirect("venues:assessment", slug=group.slug, assessment=found.uuid)
    if found.is_submitted:
        return redirect("venues:assessment", slug=group.slug, assessment=found.uuid)
    context = _context(found)
    critical = [q for q, value in context["result"].attention if q.critical and value == "no"]
    form = SubmitForm(initial={"seen": selectors.answers_seen(context["answers"].values())})
    return render(
        request,
        "venues/submit_confirm.html",
        {"group": group, "assessment": found, "critical": critical, "form": form, **context},
    )


@require_POST
def reopen(request, slug, assessment):
    group, found = _assessment(request, slug, assessment, "venues.assess")
    if not request.user.has_perm("venues.reopen_assessment", found):
        raise PermissionDenied
    try:
        services.reopen_assessment(assessment=found, by=request.user)
    except services.VenueError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _(
                "The check is open again. Correct what you need to, then submit it again: "
                "until then, the venue's last submitted check is the one before this."
            ),
        )
    return redirect("venues:assessment", slug=group.slug, assessment=found.uuid)


def print_assessment(request, slug, assessment):
    group, found = _assessment(request, slug, assessment)
    return render(
        request,
        "venues/assessment_print.html",
        {
            "group": group,
            "assessment": found,
            **_context(found),
        },
    )


def action_new(request, slug, assessment, question):
    group, found = _assessment(request, slug, assessment, "venues.assess", actions=False)
    asked = next((q for q in found.template.questions.all() if q.key == question), None)
    answer = next((a for a in found.answers.all() if asked and a.question_id == asked.pk), None)
    if answer is None:
        raise Http404
    answer.question = asked  # read with the check: not read again for each answer
    owners = selectors.possible_owners(group)
    priority = Action.priority_for(answer)
    form = ActionForm(
        request.POST or None,
        owners=owners,
        initial={
            "what": _what_needs_doing(answer),
            "priority": priority,
            "owner": request.user if owners.filter(pk=request.user.pk).exists() else None,
            "due_on": timezone.localdate() + timedelta(days=Action.DAYS_TO_DO[priority]),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            action = services.create_action(
                answer=answer,
                by=request.user,
                what=data["what"],
                owner=data["owner"],
                due_on=data["due_on"],
                priority=data["priority"] or None,
                link=request.build_absolute_uri(reverse("venues:group", args=[group.slug])),
            )
        except services.VenueError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The action has been added."))
            return redirect("venues:action", slug=group.slug, action=action.uuid)
    return render(
        request,
        "venues/action_form.html",
        {
            "group": group,
            "assessment": found,
            "answer": answer,
            "form": form,
        },
    )


def _what_needs_doing(answer) -> str:
    """The action's words to start from: the question, the answer given and its note."""
    said = f"{answer.question.text} {answer.get_value_display()}."
    return f"{said} {answer.note}" if answer.note else said


def _closed_meanwhile(request, action, note, reason=None):
    """The action was closed (or could not be) while this person was closing it: the
    message says why and gives back the note they wrote."""
    action.refresh_from_db()
    if action.status != Action.Status.OPEN:
        reason = _(
            "This action was closed on %(when)s, after you opened the page. "
            "It has not been closed again: read what was written, below."
        ) % {"when": date_format(timezone.localtime(action.closed_at), "j F Y, H:i")}
    if note.strip():
        reason = _("%(reason)s Your note was: “%(note)s”") % {"reason": reason, "note": note}
    messages.error(request, reason)


def action_detail(request, slug, action):
    group = get_group(request, slug, "venues.view_assessments")
    found = get_object_or_404(
        selectors.actions_of(group),
        uuid=action,
    )
    may_assess = request.user.has_perm("venues.assess", group)
    may_close = may_assess and found.status == "open"
    form = CloseActionForm(request.POST or None) if may_close else None
    if request.method == "POST":
        if not may_assess:
            raise PermissionDenied
        if form is None:
            # Closed by someone else since the page was loaded: say so, and keep the note.
            _closed_meanwhile(request, found, request.POST.get("note", "")[:NOTE_LIMIT])
            return redirect("venues:action", slug=group.slug, action=found.uuid)
        if form.is_valid():
            try:
                services.close_action(
                    action=found, status=form.cleaned_data["status"], note=form.cleaned_data["note"]
                )
            except services.VenueError as error:
                _closed_meanwhile(request, found, form.cleaned_data["note"], error.message)
            else:
                messages.success(request, _("The action has been closed."))
            return redirect("venues:action", slug=group.slug, action=found.uuid)
    return render(
        request,
        "venues/action_detail.html",
        {
            "group": group,
            "action": found,
            "form": form,
            "today": timezone.localdate(),
        },
    )
