"""Who may do what with venues, assessments, actions and peers' feedback."""

import rules
from django.utils import timezone

from groups.rules import (
    can_lead_group,
    is_active_group,
    is_group_coordinator,
    is_group_facilitator,
    is_group_member,
    is_org_coordinator,
)
from groups.selectors import groups_led_by


@rules.predicate
def coordinates_venue(user, venue):
    return venue is not None and is_org_coordinator(user, venue.organisation)


@rules.predicate
def leads_every_group_there(user, venue):
    """A facilitator keeps a venue's details when every active group meeting there is
    one they lead (a venue no group uses is the coordinators' alone)."""
    if venue is None or not user.is_authenticated:
        return False
    using = set(venue.uses.values_list("group_id", flat=True))
    if not using:
        return False
    led = set(
        groups_led_by(user)
        .filter(pk__in=using, archived_at__isnull=True)
        .values_list("pk", flat=True)
    )
    return using <= led


@rules.predicate
def may_reopen(user, assessment):
    """The author of a submitted check, within a day of its first submission, who may still
    assess for its group (venues.services.reopen_assessment checks it again, locked)."""
    return (
        assessment is not None
        and assessment.submitted_at is not None
        and assessment.submitted_by_id == user.pk
        and timezone.now() < assessment.reopen_until
        and user.has_perm("venues.assess", assessment.group)
    )


rules.add_perm("venues.manage_library", is_org_coordinator)
rules.add_perm("venues.edit_venue", coordinates_venue | leads_every_group_there)
rules.add_perm("venues.view_group_venues", is_group_member | is_group_coordinator)
rules.add_perm("venues.manage_group_venues", can_lead_group & is_active_group)
rules.add_perm("venues.view_assessments", can_lead_group)
rules.add_perm("venues.assess", can_lead_group & is_active_group)
rules.add_perm("venues.reopen_assessment", may_reopen)
# Peers answer the anonymous check; facilitators read its results, so they don't answer
# (one of three answers being their own would let them work out the other two).
rules.add_perm("venues.give_feedback", is_group_member & ~is_group_facilitator & is_active_group)
rules.add_perm("venues.view_feedback", can_lead_group)
