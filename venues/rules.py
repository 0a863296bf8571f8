"""Who may do what with venues, assessments, actions and peers' feedback."""

import rules

from groups.rules import (
    can_lead_group,
    is_active_group,
    is_group_coordinator,
    is_group_facilitator,
    is_group_member,
    is_org_coordinator,
)

rules.add_perm("venues.manage_library", is_org_coordinator)
rules.add_perm("venues.view_group_venues", is_group_member | is_group_coordinator)
rules.add_perm("venues.manage_group_venues", can_lead_group & is_active_group)
rules.add_perm("venues.view_assessments", can_lead_group)
rules.add_perm("venues.assess", can_lead_group & is_active_group)
# Peers answer the anonymous check; facilitators read its results, so they don't answer
# (one of three answers being their own would let them work out the other two).
rules.add_perm("venues.give_feedback", is_group_member & ~is_group_facilitator & is_active_group)
rules.add_perm("venues.view_feedback", can_lead_group)
