"""A group's venues: where it meets, its assessments, and peers' anonymous check."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from groups.shortcuts import get_group

from .. import selectors, services
from ..facts import released_results, venue_checks
from ..forms import FeedbackForm, GroupVenuesForm, VenueForm
from ..models import Venue


def group_venues(request, slug):
    group = get_group(request, slug, "venues.view_group_venues")
    venues = list(selectors.group_venues(group))
    may_see = request.user.has_perm("venues.view_assessments", group)
    answered = selectors.answered_venue_ids(
        user=request.user, group=group, period=selectors.current_period()
    )
    if may_see:
        in_progress = selectors.checks_in_progress(group)
        checks = venue_checks(
            venues, months=group.organisation.reassess_every_months, groups=[group]
        )
        for venue in venues:
            check = checks[venue.pk]
            venue.in_progress = in_progress.get(venue.pk)
            venue.latest, venue.due, venue.overdue = check.latest, check.due, check.overdue
    for venue in venues:
        venue.answered = venue.pk in answered
    return render(
        request,
        "venues/group_venues.html",
        {
            "group": group,
            "venues": venues,
            "may_see": may_see,
            "may_assess": request.user.has_perm("venues.assess", group),
            "may_manage": request.user.has_perm("venues.manage_group_venues", group),
            "may_answer": request.user.has_perm("venues.give_feedback", group),
            "actions": selectors.open_actions(group=group) if may_see else [],
            "today": timezone.localdate(),
        },
    )


def choose_venues(request, slug):
    group = get_group(request, slug, "venues.manage_group_venues")
    library = selectors.library_of(group.organisation)
    form = GroupVenuesForm(
        request.POST or None, venues=library, initial={"venues": list(group.venues.all())}
    )
    if request.method == "POST" and form.is_valid():
        services.set_group_venues(group=group, venues=form.cleaned_data["venues"])
        messages.success(request, _("Where the group meets has been saved."))
        return redirect("venues:group", slug=group.slug)
    return render(request, "venues/choose_venues.html", {"group": group, "form": form})


def add_venue(request, slug):
    group = get_group(request, slug, "venues.manage_group_venues")
    form = VenueForm(
        request.POST or None,
        organisation=group.organisation,
        instance=Venue(organisation=group.organisation),
    )
    if request.method == "POST" and form.is_valid():
        services.add_venue_for_group(group=group, venue=form.instance)
        messages.success(request, _("The venue has been added, and the group meets there."))
        return redirect("venues:group", slug=group.slug)
    return render(
        request,
        "venues/venue_form.html",
        {
            "organisation": group.organisation,
            "form": form,
            "group": group,
        },
    )


def _group_venue(group, venue_uuid):
    return get_object_or_404(group.venues.all(), uuid=venue_uuid)


@require_POST
def start_assessment(request, slug, venue):
    group = get_group(request, slug, "venues.assess")
    found = _group_venue(group, venue)
    assessment = services.start_assessment(group=group, venue=found, by=request.user)
    return redirect("venues:assessment", slug=group.slug, assessment=assessment.uuid)


def feedback(request, slug, venue):
    group = get_group(request, slug, "venues.give_feedback")
    found = _group_venue(group, venue)
    period = selectors.current_period()
    if selectors.has_answered(user=request.user, group=group, venue=found, period=period):
        return render(request, "venues/feedback_done.html", {"group": group, "venue": found})
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.give_feedback(
                user=request.user,
                group=group,
                venue=found,
                scores={f: data[f] for f in form.Meta.model.SCORE_FIELDS},
                comment=data["comment"],
            )
        except services.VenueError as error:
            messages.info(request, error.message)
        else:
            messages.success(request, _("Thank you. Your answers are anonymous."))
        return redirect("venues:group", slug=group.slug)
    counts = selectors.counts_from(user=request.user, group=group)
    return render(
        request,
        "venues/feedback_form.html",
        {
            "group": group,
            "venue": found,
            "form": form,
            "counts_later": counts is not None and counts != period,
            "threshold": selectors.FEEDBACK_THRESHOLD,
        },
    )


def feedback_results(request, slug, venue):
    group = get_group(request, slug, "venues.view_feedback")
    found = _group_venue(group, venue)
    results = released_results([group.pk], venue_id=found.pk, comments=True)
    return render(
        request,
        "venues/feedback_results.html",
        {
            "group": group,
            "venue": found,
            "period": selectors.current_period(),
            "results": results.get((group.pk, found.pk)),
            "threshold": selectors.FEEDBACK_THRESHOLD,
        },
    )
