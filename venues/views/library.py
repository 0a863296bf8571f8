"""The organisation's venue library and a venue's own page."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from groups.conflicts import EditConflict, conflict_page
from groups.selectors import groups_led_by
from groups.shortcuts import get_organisation

from .. import selectors, services
from ..facts import check_state, venue_checks
from ..forms import CompareForm, VenueForm
from ..models import Venue


def library(request, slug):
    organisation = get_organisation(request, slug)
    venues = list(
        selectors.library_of(organisation)
        .annotate(
            group_count=Count("uses", distinct=True),
            open_actions=Count("actions", filter=Q(actions__status="open"), distinct=True),
        )
        .order_by("name")
    )
    checks = venue_checks(venues, months=organisation.reassess_every_months)
    for venue in venues:
        check = checks[venue.pk]
        venue.latest, venue.due, venue.overdue = check.latest, check.due, check.overdue
    return render(
        request,
        "venues/library.html",
        {"organisation": organisation, "venues": venues},
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


def venue_detail(request, venue):
    found = _venue(request, venue)
    organisation = found.organisation
    led = groups_led_by(request.user)
    assessments = list(selectors.checks_of_venue(found, groups=led))
    check = check_state(assessments, months=organisation.reassess_every_months)
    may_manage_library = request.user.has_perm("venues.manage_library", organisation)
    return render(
        request,
        "venues/venue_detail.html",
        {
            "venue": found,
            "groups": found.groups.filter(pk__in=led).order_by("name"),
            "assessments": assessments,
            "latest": check.latest,
            "due": check.due,
            "overdue": check.overdue,
            "actions": selectors.open_actions(venue=found, group__in=led),
            "today": timezone.localdate(),
            "may_manage_library": may_manage_library,
            # Coordinators keep every venue's details (venues.rules): no need to ask again.
            "may_edit": may_manage_library or request.user.has_perm("venues.edit_venue", found),
        },
    )


def venue_edit(request, venue):
    # Coordinators, and facilitators of the groups that meet there, keep a venue's details.
    found = _venue(request, venue)
    if not request.user.has_perm("venues.edit_venue", found):
        raise PermissionDenied
    form = VenueForm(request.POST or None, organisation=found.organisation, instance=found)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_venue(
                venue=found,
                fields={name: form.cleaned_data[name] for name in VenueForm.Meta.fields},
                by=request.user,
                base=form.cleaned_data["base"],
            )
        except EditConflict as conflict:
            return conflict_page(
                request,
                conflict,
                form=form,
                context={"base_template": "base.html", "venue": found},
                back_url=reverse("venues:venue", args=[found.uuid]),
            )
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
        selectors.checks_of_venue(found, groups=groups_led_by(request.user))
        .submitted()
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
