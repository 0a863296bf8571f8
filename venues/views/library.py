"""The organisation's venue library and a venue's own page."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from groups.models import Membership
from groups.selectors import groups_for_user
from groups.shortcuts import get_organisation

from .. import selectors, services
from ..forms import CompareForm, VenueForm
from ..models import Assessment, Venue


def _with_status(venues, months):
    """Each venue with its latest assessment and reassessment date (one query for all)."""
    venues = list(venues)
    latest = {}
    for assessment in Assessment.objects.filter(
        venue__in=venues, submitted_at__isnull=False
    ).order_by("venue_id", "-submitted_at"):
        latest.setdefault(assessment.venue_id, assessment)
    today = timezone.localdate()
    for venue in venues:
        venue.latest = latest.get(venue.pk)
        venue.due = selectors.reassessment_due(venue.latest, months)
        venue.overdue = venue.due is None or venue.due <= today
    return venues


def library(request, slug):
    organisation = get_organisation(request, slug)
    venues = (
        Venue.objects.filter(organisation=organisation, archived_at__isnull=True)
        .annotate(
            group_count=Count("uses", distinct=True),
            open_actions=Count("actions", filter=Q(actions__status="open"), distinct=True),
        )
        .order_by("name")
    )
    return render(
        request,
        "venues/library.html",
        {
            "organisation": organisation,
            "venues": _with_status(venues, organisation.reassess_every_months),
        },
    )


def venue_new(request, slug):
    organisation = get_organisation(request, slug)
    form = VenueForm(
        request.POST or None, organisation=organisation, instance=Venue(organisation=organisation)
    )
    if request.method == "POST" and form.is_valid():
        venue = services.save_venue(venue=form.instance)
        messages.success(request, _("The venue has been added to the library."))
        return redirect("venues:venue", venue=venue.uuid)
    return render(
        request,
        "venues/venue_form.html",
        {
            "organisation": organisation,
            "form": form,
        },
    )


def _venue(request, venue_uuid):
    return get_object_or_404(selectors.venues_for_user(request.user), uuid=venue_uuid)


def _led_groups(user):
    """Groups whose venue checks the user may see: all their organisation's as a
    coordinator, otherwise only the groups they facilitate."""
    return groups_for_user(user).filter(
        Q(viewer_is_coordinator=True) | Q(viewer_role=Membership.Role.FACILITATOR)
    )


def _may_edit(user, venue, coordinates=None) -> bool:
    """Coordinators; or a facilitator when every group meeting there is one they lead."""
    if coordinates is None:
        coordinates = user.has_perm("venues.manage_library", venue.organisation)
    if coordinates:
        return True
    using = set(venue.uses.values_list("group_id", flat=True))
    led = set(
        _led_groups(user)
        .filter(pk__in=using, archived_at__isnull=True)
        .values_list("pk", flat=True)
    )
    return bool(using) and using <= led


def venue_detail(request, venue):
    found = _venue(request, venue)
    organisation = found.organisation
    months = organisation.reassess_every_months
    led = _led_groups(request.user)
    coordinates = request.user.has_perm("venues.manage_library", organisation)
    assessments = list(
        Assessment.objects.filter(venue=found, group__in=led)
        .select_related("group", "submitted_by")
        .order_by("-submitted_at", "-created")
    )
    latest = next((a for a in assessments if a.submitted_at), None)
    due = selectors.reassessment_due(latest, months)
    return render(
        request,
        "venues/venue_detail.html",
        {
            "venue": found,
            "groups": found.groups.filter(pk__in=led).order_by("name"),
            "assessments": assessments,
            "latest": latest,
            "due": due,
            "overdue": due is None or due <= timezone.localdate(),
            "actions": selectors.open_actions(venue=found, group__in=led),
            "today": timezone.localdate(),
            "may_manage_library": coordinates,
            "may_edit": _may_edit(request.user, found, coordinates),
        },
    )


def venue_edit(request, venue):
    # Coordinators, and facilitators of the groups that meet there, keep a venue's details.
    found = _venue(request, venue)
    if not _may_edit(request.user, found):
        raise PermissionDenied
    form = VenueForm(request.POST or None, organisation=found.organisation, instance=found)
    if request.method == "POST" and form.is_valid():
        services.save_venue(venue=form.instance)
        messages.success(request, _("Your changes have been saved."))
        return redirect("venues:venue", venue=found.uuid)
    return render(
        request,
        "venues/venue_form.html",
        {
            "organisation": found.organisation,
            "form": form,
            "venue": found,
        },
    )


def compare(request, venue):
    found = _venue(request, venue)
    submitted = list(
        Assessment.objects.filter(
            venue=found, submitted_at__isnull=False, group__in=_led_groups(request.user)
        )
        .select_related("group")
        .order_by("submitted_at")
    )
    if len(submitted) < 2:
        messages.info(request, _("Two submitted assessments are needed to compare."))
        return redirect("venues:venue", venue=found.uuid)
    defaults = {"older": str(submitted[-2].uuid), "newer": str(submitted[-1].uuid)}
    form = CompareForm(request.GET or None, assessments=submitted, initial=defaults)
    chosen = form.cleaned_data if form.is_bound and form.is_valid() else defaults
    by_uuid = {str(a.uuid): a for a in submitted}
    older, newer = by_uuid[chosen["older"]], by_uuid[chosen["newer"]]
    rows = selectors.compare_answers(older, newer)
    return render(
        request,
        "venues/compare.html",
        {
            "venue": found,
            "form": form,
            "older": older,
            "newer": newer,
            "rows": rows,
        },
    )
