"""A group's venues: where it meets, its assessments, and peers' anonymous check."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from groups.helplines import DEFAULTS
from groups.selectors import help_services_for_group
from groups.shortcuts import get_group

from .. import selectors, services
from ..facts import venue_checks, venue_comparison
from ..forms import FeedbackForm, GroupVenuesForm, VenueForm
from ..models import Venue
from ..peer_results import released_results


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
        scores = {f: data[f] for f in form.Meta.model.SCORE_FIELDS}
        try:
            services.give_feedback(
                user=request.user,
                group=group,
                venue=found,
                scores=scores,
                comment=data["comment"],
            )
        except services.VenueError:
            # Answered meanwhile (another tab): said kindly, as on coming back.
            return render(request, "venues/feedback_done.html", {"group": group, "venue": found})
        return _thanks(request, group, found, low=any(v <= LOW_SCORE for v in scores.values()))
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


# An answer of 1 or 2 out of 5: the thank-you page then offers, in plain words, to tell
# someone privately and shows where to get help.
LOW_SCORE = 2


def _thanks(request, group, venue, *, low):
    """The thank-you page, rendered straight from the POST: no redirect carries anything,
    and nothing about the answers is kept (no message in the session, nothing stored
    beyond what give_feedback writes). Whether an answer was low lives only in this page."""
    group_list, organisation_list = help_services_for_group(group)
    return render(
        request,
        "venues/feedback_thanks.html",
        {
            "group": group,
            "venue": venue,
            "low": low,
            "group_help": group_list,
            "organisation_help": organisation_list,
            "national_help": DEFAULTS,
            "may_tell": request.user.has_perm("groups.send_concern", group),
        },
    )


def feedback_results(request, slug, venue):
    group = get_group(request, slug, "venues.view_feedback")
    found = _group_venue(group, venue)
    results = released_results([group.pk], venue_id=found.pk, comments=True).get(
        (group.pk, found.pk)
    )
    return render(
        request,
        "venues/feedback_results.html",
        {
            "group": group,
            "venue": found,
            "period": selectors.current_period(),
            "results": results,
            "compared": venue_comparison(group, found, results),
            "threshold": selectors.FEEDBACK_THRESHOLD,
        },
    )
