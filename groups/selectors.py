"""Read queries, always scoped to what the given user may see."""

from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Q, Subquery, Value
from django.db.models.functions import Lower
from django.utils import timezone

from .models import (
    AuditEvent,
    Concern,
    Coordinator,
    Group,
    GroupSummary,
    HelpService,
    Invitation,
    Membership,
    Organisation,
    hash_token,
)


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


# Private messages (concerns) -------------------------------------------------------------
#
# Who reads a concern is said here once, for the pages, the home page and the emails:
# - sent to facilitators: the group's current facilitators;
# - sent to coordinators (a concern about a facilitator): the organisation's
#   coordinators, except any who facilitate that group themselves.
# Nobody else: a coordinator does not read what was sent to facilitators, and a
# facilitator never reads what was sent to coordinators about the group they facilitate.


def _facilitates(user, group_ref):
    return Exists(Membership.objects.current().facilitators().filter(group=group_ref, user=user))


def concerns_for_user(user):
    """Private messages this person may read (see the rule above)."""
    if not user.is_authenticated:
        return Concern.objects.none()
    facilitates = _facilitates(user, OuterRef("group"))
    coordinates = Exists(
        Coordinator.objects.filter(organisation=OuterRef("group__organisation"), user=user)
    )
    return Concern.objects.filter(
        (Q(to=Concern.To.FACILITATORS) & facilitates)
        | (Q(to=Concern.To.COORDINATORS) & coordinates & ~facilitates)
    ).select_related("group", "group__organisation", "sender", "followed_up_by")


def concern_recipients(group, to) -> list:
    """The people who read a concern sent to `to` in `group`, by name (see the rule above)."""
    user_model = get_user_model()
    if to == Concern.To.FACILITATORS:
        facilitating = Membership.objects.current().facilitators().filter(group=group)
        people = user_model.objects.filter(Exists(facilitating.filter(user=OuterRef("pk"))))
    else:
        people = user_model.objects.filter(
            Exists(
                Coordinator.objects.filter(organisation=group.organisation_id, user=OuterRef("pk"))
            )
        ).exclude(_facilitates(OuterRef("pk"), group))
    return list(people.filter(is_active=True).order_by(Lower("display_name")))


# Where to get help -----------------------------------------------------------------------


def help_services_for_group(group) -> tuple[list, list]:
    """(the group's own list, its organisation's list)."""
    found = list(HelpService.objects.filter(Q(group=group) | Q(organisation=group.organisation_id)))
    return [s for s in found if s.group_id], [s for s in found if s.organisation_id]


def help_services_of(*, organisation=None, group=None):
    if group is not None:
        return HelpService.objects.filter(group=group)
    return HelpService.objects.filter(organisation=organisation)


def help_lists_for(user) -> list:
    """[(owner, services)] for the user's current groups and their organisations, and the
    organisations they coordinate: each non-empty list once, organisations first."""
    if not user.is_authenticated:
        return []
    groups = list(
        Group.objects.filter(
            archived_at__isnull=True,
            memberships__user=user,
            memberships__left_at__isnull=True,
        ).select_related("organisation")
    )
    organisations = {g.organisation_id: g.organisation for g in groups}
    for organisation in organisations_for_user(user):
        organisations.setdefault(organisation.pk, organisation)
    services = HelpService.objects.filter(
        Q(group__in=[g.pk for g in groups]) | Q(organisation__in=list(organisations))
    )
    by_owner = {}
    for service in services:
        key = (
            ("organisation", service.organisation_id)
            if service.organisation_id
            else (
                "group",
                service.group_id,
            )
        )
        by_owner.setdefault(key, []).append(service)
    lists = [
        (organisation, by_owner[("organisation", pk)])
        for pk, organisation in sorted(organisations.items(), key=lambda i: i[1].name)
        if ("organisation", pk) in by_owner
    ]
    lists += [
        (group, by_owner[("group", group.pk)])
        for group in sorted(groups, key=lambda g: g.name)
        if ("group", group.pk) in by_owner
    ]
    return lists


def has_facilitator(group) -> bool:
    """Whether anyone facilitates the group now."""
    return Membership.objects.current().facilitators().filter(group=group).exists()


def organisations_only_coordinated_by(user):
    """Organisations that would be left with no coordinator if `user` went."""
    others = Coordinator.objects.filter(organisation=OuterRef("pk")).exclude(user=user)
    return organisations_for_user(user).exclude(Exists(others)).order_by("name")


def groups_only_facilitated_by(user):
    """Active groups in which `user` is the only current facilitator."""
    others = (
        Membership.objects.current().facilitators().filter(group=OuterRef("pk")).exclude(user=user)
    )
    mine = Membership.objects.current().facilitators().filter(group=OuterRef("pk"), user=user)
    return (
        Group.objects.filter(Exists(mine), archived_at__isnull=True)
        .exclude(Exists(others))
        .order_by("name")
    )


def sent_concerns(group, user):
    """The private messages `user` sent in `group` (for telling them, as they leave, that
    these stay with the people they were sent to)."""
    return Concern.objects.filter(group=group, sender=user)


def groups_of(organisation):
    """Every group of an organisation its coordinator already fetched, archived ones too."""
    return Group.objects.filter(organisation=organisation).order_by("name")


def summaries_of(organisation):
    """The summary rows (GroupSummary) of the current groups of an organisation its
    coordinator already fetched (archived ones left out)."""
    return GroupSummary.objects.filter(organisation=organisation, archived=False)


def audit_trail(organisation, *, action=None, group=None, since=None, until=None):
    """An organisation's audit events, newest first, with who, whom and which group, for
    the coordinator who already fetched `organisation` through organisations_for_user."""
    events = AuditEvent.objects.filter(organisation=organisation)
    if action:
        events = events.filter(action=action)
    if group is not None:
        events = events.filter(group=group)
    if since:
        events = events.filter(created__gte=timezone.make_aware(datetime.combine(since, time.min)))
    if until:
        end = datetime.combine(until + timedelta(days=1), time.min)
        events = events.filter(created__lt=timezone.make_aware(end))
    return events.select_related("actor", "subject", "group").order_by("-created", "-pk")
