import rules

from groups.rules import can_lead_group, is_group_coordinator

# A group's safety page: its facilitators and the organisation's coordinators.
rules.add_perm("dashboard.view_safety", can_lead_group)
# Who counts towards the release of peers' answers, and how many of them are quiet: for
# the coordinators, who can ask the facilitators about accounts they don't recognise.
rules.add_perm("dashboard.view_who_counts", is_group_coordinator)
