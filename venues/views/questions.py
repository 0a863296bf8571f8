"""Coordinators adapt the organisation's venue questions. Every change is a new version."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from groups.shortcuts import get_organisation

from .. import selectors, services
from ..forms import QuestionForm
from ..models import Question, Section


def _current(organisation):
    services.ensure_template(organisation)
    return selectors.current_template(organisation)


def question_list(request, slug):
    organisation = get_organisation(request, slug)
    template = _current(organisation)
    questions = list(template.questions.all())
    return render(
        request,
        "venues/question_list.html",
        {
            "organisation": organisation,
            "template": template,
            "sections": [(s.label, [q for q in questions if q.section == s]) for s in Section],
        },
    )


def _find(template, key):
    question = next((q for q in template.questions.all() if q.key == key), None)
    if question is None:
        raise Http404
    return question


def question_add(request, slug):
    organisation = get_organisation(request, slug)
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        new = form.save(commit=False)

        def add(questions):
            # A key never used in any version, not even a retired one: keys match questions
            # across versions. Read here, under the version lock, so two adds differ.
            used = set(
                Question.objects.filter(template__organisation=organisation).values_list(
                    "key", flat=True
                )
            )
            n = len(used) + 1
            while f"custom-{n}" in used:
                n += 1
            new.key = f"custom-{n}"
            same = [q for q in questions if q.section == new.section]
            new.position = (max((q.position for q in same), default=0)) + 1
            return [*questions, new]

        template = services.new_template_version(
            organisation=organisation, by=request.user, change=add
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
    original = _find(_current(organisation), key)
    form = QuestionForm(request.POST or None, instance=original)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def edit(questions):
            for q in questions:
                if q.key == key:
                    for name, value in data.items():
                        setattr(q, name, value)
            return questions

        # The form edited `original` in memory only; a new version gets the change.
        template = services.new_template_version(
            organisation=organisation, by=request.user, change=edit
        )
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
    _find(_current(organisation), key)
    services.new_template_version(
        organisation=organisation,
        by=request.user,
        change=lambda qs: [q for q in qs if q.key != key],
    )
    messages.success(request, _("Question retired. Past assessments still show it."))
    return redirect("venues:questions", slug=organisation.slug)


@require_POST
def question_move(request, slug, key):
    organisation = get_organisation(request, slug)
    _find(_current(organisation), key)
    up = request.POST.get("direction") == "up"

    def move(questions):
        ordered = sorted(questions, key=lambda q: (q.section, q.position))
        i = next(n for n, q in enumerate(ordered) if q.key == key)
        j = i - 1 if up else i + 1
        if 0 <= j < len(ordered) and ordered[j].section == ordered[i].section:
            ordered[i], ordered[j] = ordered[j], ordered[i]
        return ordered

    services.new_template_version(organisation=organisation, by=request.user, change=move)
    return redirect("venues:questions", slug=organisation.slug)
