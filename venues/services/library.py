"""The organisation's venue library, and which venues each group meets at."""

from django.db import transaction

from groups.conflicts import refuse_stale

from ..models import Venue, VenueUse
from ..summary import refresh as refresh_summary


@transaction.atomic
def save_venue(*, venue: Venue) -> Venue:
    venue.save()
    # Its name is on the summaries of the groups meeting there.
    refresh_summary(VenueUse.objects.filter(venue=venue).values_list("group_id", flat=True))
    return venue


@transaction.atomic
def update_venue(*, venue, fields: dict, by, base) -> Venue:
    """Change a venue's details; EditConflict if someone changed them since `base`."""
    locked = Venue.objects.select_for_update().get(pk=venue.pk)
    refuse_stale(locked, base, fields)
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.changed_by = by
    locked.save()
    # Its name is on the summaries of the groups meeting there.
    refresh_summary(VenueUse.objects.filter(venue=locked).values_list("group_id", flat=True))
    return locked


@transaction.atomic
def add_venue_for_group(*, group, venue: Venue) -> Venue:
    """A facilitator adds a venue to the organisation's library and the group meets there."""
    venue.organisation = group.organisation
    venue.save()
    VenueUse.objects.create(group=group, venue=venue)
    refresh_summary([group.pk])
    return venue


@transaction.atomic
def set_group_venues(*, group, venues) -> None:
    wanted = {v.pk for v in venues}
    VenueUse.objects.filter(group=group).exclude(venue_id__in=wanted).delete()
    have = set(VenueUse.objects.filter(group=group).values_list("venue_id", flat=True))
    VenueUse.objects.bulk_create(VenueUse(group=group, venue_id=pk) for pk in wanted - have)
    refresh_summary([group.pk])
