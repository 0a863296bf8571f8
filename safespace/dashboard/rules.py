import rules

from groups.rules import can_lead_group

# A group's safety page: its facilitators and the organisation's coordinators.
rules.add_perm("dashboard.view_safety", can_lead_group)
