"""Answering a venue check: a section's page (saved whole by its Save buttons) and each
answer saved as it is given (htmx), neither of them over an answer someone else gave
since the page was opened."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from groups.conflicts import STAMP_LIMIT

from .. import selectors, services
from ..forms import SectionForm
from ..models import Answer, Section
from .assessments import SECTIONS, _assessment, _context


def _answer_conflict(conflict):
    """An answer someone else gave since the page was opened, as the page shows it."""

    def shown(values):
        return {"value": Answer.Value(values["value"]).label, "note": values["note"]}

    return {
        "by": conflict.changed_by,
        "at": conflict.changed_at,
        "yours": shown(conflict.typed),
        "theirs": shown(conflict.current),
        "value": conflict.current["value"],
        "note": conflict.current["note"],
    }


def section(request, slug, assessment, section):
    group, found = _assessment(request, slug, assessment, "venues.assess", actions=False)
    if section not in {s.value for s in SECTIONS}:
        raise Http404
    if found.is_submitted:
        messages.info(request, _("This assessment has been submitted, so it can't change."))
        return redirect("venues:assessment", slug=group.slug, assessment=found.uuid)
    context = _context(found)
    questions = [q for q in context["questions"] if q.section == section]
    form = SectionForm(request.POST or None, questions=questions, answers=context["answers"])
    conflicts = {}
    if request.method == "POST" and form.is_valid():
        try:
            services.save_answers(
                assessment=found, answers=form.answers(), bases=form.bases(), by=request.user
            )
        except services.AnswersChanged as changed:
            # Nothing saved: every answer typed stays in the form, and each one someone
            # else answered meanwhile shows theirs beside it, starting from theirs.
            form.rebase({qid: conflict.stamp for qid, conflict in changed.conflicts.items()})
            conflicts = {qid: _answer_conflict(c) for qid, c in changed.conflicts.items()}
        except services.VenueError as error:
            messages.error(request, error.message)
            return redirect(
                "venues:section", slug=group.slug, assessment=found.uuid, section=section
            )
        else:
            messages.success(request, _("Saved. You can stop here and come back later."))
            position = [s.value for s in SECTIONS].index(section)
            later = [s for s in context["sections"] if SECTIONS.index(Section(s["key"])) > position]
            if later and "next" in request.POST:
                return redirect(
                    "venues:section",
                    slug=group.slug,
                    assessment=found.uuid,
                    section=later[0]["key"],
                )
            return redirect("venues:assessment", slug=group.slug, assessment=found.uuid)
    items = [
        {
            "question": q,
            "choice": form[f"q{q.pk}"],
            "note": form[f"q{q.pk}_note"],
            "base": form[f"q{q.pk}_base"],
            "conflict": conflicts.get(q.pk),
            # Beside each answer: "Saved" for what is stored (not over a refused POST).
            "saved": not form.is_bound and q.pk in context["answers"],
        }
        for q in questions
    ]
    return render(
        request,
        "venues/section.html",
        {
            "group": group,
            "assessment": found,
            "form": form,
            "items": items,
            "conflicts": len(conflicts),
            "section_label": Section(section).label,
            "section": section,
            "has_next": section == Section.BEING_SAFE
            and any(s["key"] == Section.FEELING_SAFE for s in context["sections"]),
        },
        status=409 if conflicts else 200,
    )


@require_POST
def answer(request, slug, assessment, question):
    """Save one answer and its note, as it is given (htmx, from the section's page): the
    answer is the words beside it, "Saved" or why not, and the answer's new stamp. When
    someone else answered it since the page was opened, theirs is shown beside it with a
    choice. Without htmx, back to the section."""
    group, found = _assessment(request, slug, assessment, "venues.assess", actions=False)
    asked = next((q for q in selectors.questions_for(found) if q.key == question), None)
    if asked is None:
        raise Http404
    form = SectionForm(request.POST, questions=[asked], answers={})
    base_name = form[f"q{asked.pk}_base"].html_name
    # Unless saved or refused for a newer answer, the page goes on from what it sent.
    stamp = request.POST.get(base_name, "")[:STAMP_LIMIT]
    error = conflict = None
    if not form.is_valid():
        error = next(iter(form.errors.values()))[0]
    elif not form.answers()[asked.pk][0]:
        error = _("Choose an answer first.")
    else:
        try:
            stamps = services.save_answers(
                assessment=found, answers=form.answers(), bases=form.bases(), by=request.user
            )
        except services.AnswersChanged as changed:
            conflict = changed.conflicts[asked.pk]
            stamp = conflict.stamp
        except services.VenueError as refused:
            error = refused.message
        else:
            stamp = stamps[asked.pk]
    if request.htmx:
        response = render(
            request,
            "venues/section.html#answer_reply",
            {
                "saved": error is None and conflict is None,
                "error": error,
                "conflict": _answer_conflict(conflict) if conflict else None,
                "question": asked,
                "base_name": base_name,
                "base": stamp,
            },
        )
        # Read by static/safespace/answers.js: only this says the answer was (not) stored.
        response["X-Answer"] = "conflict" if conflict else "refused" if error else "saved"
        return response
    if conflict is not None:
        shown = _answer_conflict(conflict)
        messages.error(
            request,
            _(
                "Not saved: %(name)s answered this question after you opened the page "
                "(“%(theirs)s”). Your answer was “%(yours)s”%(note)s. Choose again."
            )
            % {
                "name": shown["by"].display_name if shown["by"] else _("someone"),
                "theirs": shown["theirs"]["value"],
                "yours": shown["yours"]["value"],
                "note": (_(", with the note “%(note)s”") % {"note": shown["yours"]["note"]})
                if shown["yours"]["note"]
                else "",
            },
        )
    elif error is None:
        messages.success(request, _("Saved."))
    else:
        messages.error(request, _("Not saved. %(reason)s") % {"reason": error})
    url = reverse("venues:section", args=[group.slug, found.uuid, asked.section])
    return redirect(f"{url}#answer-{asked.key}")
