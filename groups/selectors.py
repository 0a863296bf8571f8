"""Read queries, always scoped to what the given user may see."""

from django.db.models import Count, Exists, OuterRef, Q, Subquery, Value
from django.db.models.functions import Lower

from .models import Coordinator, Group, Invitation, Membership, Organisation, hash_token


def organisations_for_user(user):
    """Organisations the user coordinates."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        Exists(Coordinator.objects.filter(organisation=OuterRef("pk"), user=user))
    )


def groups_for_user(user):
    """Groups the user belongs to now, or coordinates, annotated with the viewer's role."""
    if not user.is_authenticated:
        return Group.objects.none()
    coordinates = Exists(
        Coordinator.objects.filter(organisation=OuterRef("organisation"), user=user)
    )
    own_membership = Membership.objects.current().filter(group=OuterRef("pk"), user=user)
    return (
        Group.objects.annotate(
            viewer_id=Value(user.pk),
            viewer_is_coordinator=coordinates,
            viewer_role=Subquery(own_membership.values("role")[:1]),
        )
        .filter(Q(viewer_is_coordinator=True) | Q(viewer_role__isnull=False))
        .select_related("organisation")
    )


def groups_with_counts(queryset):
    """Add the number of current members and facilitators, in the same query."""
    current = Q(memberships__left_at__isnull=True)
    return queryset.annotate(
        member_count=Count("memberships", filter=current),
        facilitator_count=Count(
            "memberships", filter=current & Q(memberships__role=Membership.Role.FACILITATOR)
        ),
    )


def current_memberships(group):
    return (
        Membership.objects.current()
        .filter(group=group)
        .select_related("user")
        .order_by("role", Lower("user__display_name"))
    )


def facilitators_of(group):
    """The group's current facilitators, with their users, by name."""
    return (
        Membership.objects.current()
        .facilitators()
        .filter(group=group)
        .select_related("user")
        .order_by(Lower("user__display_name"))
    )


def facilitator_emails(group_id) -> list:
    """Where notices for a group's facilitators go (one message each; never shown to others)."""
    return list(
        Membership.objects.current()
        .facilitators()
        .filter(group=group_id)
        .values_list("user__email", flat=True)
    )


def groups_led_by(user):
    """Groups the user leads: all of their organisations' as a coordinator, otherwise
    only the groups they facilitate."""
    return groups_for_user(user).filter(
        Q(viewer_is_coordinator=True) | Q(viewer_role=Membership.Role.FACILITATOR)
    )


def pending_invitations(*, organisation, group=None):
    """Invitations not yet accepted, revoked or expired, for a group or for coordinators."""
    qs = Invitation.objects.pending().filter(organisation=organisation).select_related("invited_by")
    if group is None:
        return qs.filter(group__isnull=True)
    return qs.filter(group=group)


def coordinators_of(organisation):
    return (
        Coordinator.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by(Lower("user__display_name"))
    )


def find_invitation(token: str) -> Invitation:
    """The invitation for a token, or InvitationProblem explaining why it cannot be used."""
    invitation = (
        Invitation.objects.select_related("organisation", "group")
        .filter(token_hash=hash_token(token or ""))
        .first()
    )
    Invitation.check_usable(invitation)
    return invitation
