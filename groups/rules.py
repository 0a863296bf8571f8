"""Who may do what with organisations and groups.

Predicates read the viewer annotations that `groups_for_user` adds (so list
pages never query per row) and fall back to one query when a group did not
come through that selector for this user.
"""

import rules

from .models import Coordinator, Membership


def _annotated(group, user, name):
    if getattr(group, "viewer_id", None) == user.pk and hasattr(group, name):
        return getattr(group, name)
    return None


@rules.predicate
def is_org_coordinator(user, organisation):
    if not user.is_authenticated or organisation is None:
        return False
    return Coordinator.objects.filter(organisation=organisation, user=user).exists()


@rules.predicate
def is_group_coordinator(user, group):
    if not user.is_authenticated or group is None:
        return False
    known = _annotated(group, user, "viewer_is_coordinator")
    if known is not None:
        return known
    return Coordinator.objects.filter(organisation_id=group.organisation_id, user=user).exists()


def _current_role(user, group):
    if not user.is_authenticated or group is None:
        return None
    if getattr(group, "viewer_id", None) == user.pk and hasattr(group, "viewer_role"):
        return group.viewer_role
    return (
        Membership.objects.current()
        .filter(group=group, user=user)
        .values_list("role", flat=True)
        .first()
    )


@rules.predicate
def is_group_member(user, group):
    return _current_role(user, group) is not None


@rules.predicate
def is_group_facilitator(user, group):
    return _current_role(user, group) == Membership.Role.FACILITATOR


@rules.predicate
def is_active_group(user, group):
    return group is not None and group.archived_at is None


can_lead_group = is_group_coordinator | is_group_facilitator

rules.add_perm("groups.view_organisation", is_org_coordinator)
rules.add_perm("groups.manage_organisation", is_org_coordinator)
rules.add_perm("groups.view_group", is_group_member | is_group_coordinator)
rules.add_perm("groups.change_group", can_lead_group & is_active_group)
rules.add_perm("groups.archive_group", is_group_coordinator)
rules.add_perm("groups.view_members", is_group_member | is_group_coordinator)
rules.add_perm("groups.manage_members", can_lead_group & is_active_group)
# Facilitators are appointed by the coordinators, so only they remove one: a facilitator
# could otherwise remove a co-facilitator and then invite accounts of their own.
rules.add_perm("groups.remove_facilitator", is_group_coordinator & is_active_group)
rules.add_perm("groups.invite_peer", can_lead_group & is_active_group)
rules.add_perm("groups.invite_facilitator", is_group_coordinator & is_active_group)
rules.add_perm("groups.leave_group", is_group_member)

# Private messages (concerns). Who reads which one is a query (selectors.concerns_for_user):
# these say who may write one, and who may open a group's list of them.
rules.add_perm("groups.send_concern", is_group_member & is_active_group)
rules.add_perm("groups.view_concerns", is_group_facilitator | is_group_coordinator)
# Lists of help: a group's facilitators (and the coordinators) keep the group's; the
# organisation's coordinators keep the organisation's (organisation pages are theirs alone).
rules.add_perm("groups.keep_help_list", can_lead_group & is_active_group)
