"""Coordinators adapt the organisation's venue questions. Every change is a new version."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from groups.conflicts import ChangedUnderneath, EditConflict, conflict_page
from groups.shortcuts import get_organisation

from .. import selectors, services
from ..forms import QuestionForm, QuestionsVersionForm
from ..models import Section


def _version_number(base: str) -> int:
    """The questions' version a form was read in (0 for anything else: none has it)."""
    return int(base) if base.isascii() and base.isdigit() and len(base) < 10 else 0


def question_list(request, slug):
    organisation = get_organisation(request, slug)
    version, questions = selectors.current_questions(organisation)
    return render(
        request,
        "venues/question_list.html",
        {
            "organisation": organisation,
            "version": version,
            "sections": [(s.label, [q for q in questions if q.section == s]) for s in Section],
            "version_form": QuestionsVersionForm(initial={"base": str(version)}),
        },
    )


def _find(organisation, key):
    """The current question with this key (404 if there is none)."""
    _version, questions = selectors.current_questions(organisation)
    question = next((q for q in questions if q.key == key), None)
    if question is None:
        raise Http404
    return question


def question_add(request, slug):
    organisation = get_organisation(request, slug)
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        template = services.add_question(
            organisation=organisation, by=request.user, question=form.save(commit=False)
        )
        messages.success(
            request,
            _("Question added. The questions are now version %(n)d.") % {"n": template.version},
        )
        return redirect("venues:questions", slug=organisation.slug)
    return render(
        request,
        "venues/question_form.html",
        {
            "organisation": organisation,
            "form": form,
        },
    )


def question_edit(request, slug, key):
    organisation = get_organisation(request, slug)
    original = _find(organisation, key)
    form = QuestionForm(request.POST or None, instance=original)
    if request.method == "POST" and form.is_valid():
        # The form edited `original` in memory only; a new version gets the change.
        base = form.cleaned_data["base"]
        try:
            template = services.edit_question(
                organisation=organisation,
                by=request.user,
                key=key,
                fields=form.question_fields(),
                base_version=_version_number(base),
            )
        except EditConflict as conflict:
            return conflict_page(
                request,
                conflict,
                form=form,
                context={"base_template": "base.html", "organisation": organisation},
                back_url=reverse("venues:questions", args=[organisation.slug]),
            )
        except services.VenueError as error:
            messages.error(request, error.message)
            return redirect("venues:questions", slug=organisation.slug)
        messages.success(
            request,
            _(
                "Question changed. Past assessments keep the wording they "
                "were answered with. The questions are now version %(n)d."
            )
            % {"n": template.version},
        )
        return redirect("venues:questions", slug=organisation.slug)
    return render(
        request,
        "venues/question_form.html",
        {
            "organisation": organisation,
            "form": form,
            "question": original,
        },
    )


@require_POST
def question_retire(request, slug, key):
    organisation = get_organisation(request, slug)
    _find(organisation, key)
    form = QuestionsVersionForm(request.POST)
    try:
        if not form.is_valid():
            raise ChangedUnderneath(_("Please open the page again: the form was incomplete."))
        services.retire_question(
            organisation=organisation,
            by=request.user,
            key=key,
            base_version=_version_number(form.cleaned_data["base"]),
        )
    except ChangedUnderneath as changed:
        messages.error(request, changed.message)
    else:
        messages.success(request, _("Question retired. Past assessments still show it."))
    return redirect("venues:questions", slug=organisation.slug)


@require_POST
def question_move(request, slug, key):
    organisation = get_organisation(request, slug)
    _find(organisation, key)
    services.move_question(
        organisation=organisation,
        by=request.user,
        key=key,
        up=request.POST.get("direction") == "up",
    )
    return redirect("venues:questions", slug=organisation.slug)
