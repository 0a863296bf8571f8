"""Who may do what with a group's ground rules. Built on the groups predicates."""

import rules

from groups.models import Group
from groups.rules import (
    is_active_group,
    is_group_coordinator,
    is_group_facilitator,
    is_group_member,
)

from .models import Rulebook, SuggestionsFrom


@rules.predicate
def everyone_upholds(user, group):
    return group is not None and group.upheld_by == Group.UpheldBy.EVERYONE


@rules.predicate
def suggestions_open(user, group):
    """Whether every member may suggest (the group's getting-started answer), read once per
    group object (or kept on it by `selectors.rulebook_of`)."""
    if group is None:
        return False
    if not hasattr(group, "_rules_suggestions_from"):
        group._rules_suggestions_from = (
            Rulebook.objects.filter(group=group).values_list("suggestions_from", flat=True).first()
        )
    return (group._rules_suggestions_from or SuggestionsFrom.EVERYONE) == SuggestionsFrom.EVERYONE


# Facilitators uphold the rules (they also act as the moderators of groups that
# chose moderators); in groups that chose "everyone", any current member does.
upholds_rules = is_group_facilitator | (is_group_member & everyone_upholds)

rules.add_perm("groundrules.view_rules", is_group_member | is_group_coordinator)
rules.add_perm(
    "groundrules.propose", is_group_member & is_active_group & (suggestions_open | upholds_rules)
)
rules.add_perm("groundrules.edit_draft", upholds_rules & is_active_group)
rules.add_perm("groundrules.decide_proposal", upholds_rules & is_active_group)
rules.add_perm("groundrules.run_round", is_group_facilitator & is_active_group)
rules.add_perm("groundrules.answer", is_group_member & is_active_group)
rules.add_perm("groundrules.see_answers", is_group_facilitator | is_group_coordinator)
rules.add_perm("groundrules.set_up", upholds_rules & is_active_group)
rules.add_perm("groundrules.record_review", is_group_facilitator & is_active_group)
rules.add_perm("groundrules.view_breaches", is_group_facilitator | is_group_coordinator)
rules.add_perm(
    "groundrules.record_breach", (is_group_facilitator | is_group_coordinator) & is_active_group
)
