"""Matrix page specs and effect checks: groups, members, invitations and organisations."""

from django.urls import reverse
from django.utils import timezone

from groups.models import Group, GroupNeed, Invitation, Membership
from tests.matrix.page import (
    Page,
    group_kwargs,
    group_names_for,
    org_kwargs,
    redirects_to,
    stamp,
)
from tests.matrix.world import GROUP_A_PURPOSE


def membership_of(w, user):
    return Membership.objects.filter(group=w.cast.group_a, user=user).get()


GROUP_FORM = {
    "name": "Group A (Tuesdays)",
    "purpose": "Carers meeting on Tuesdays",
    "format": Group.Format.HYBRID,
    "meeting_time": "Tuesdays 7pm",
    "meeting_place": "Room 2",
    "needs": [GroupNeed.Need.STEP_FREE],
    "other_needs": "",
    "upheld_by": Group.UpheldBy.FACILITATORS,
}


def edit_done(w, actor, response, client, mail):
    redirects_to(response, reverse("groups:detail", args=[w.cast.group_a.slug]))
    group = Group.objects.get(pk=w.cast.group_a.pk)
    assert (group.name, group.format, group.meeting_time) == (
        "Group A (Tuesdays)",
        Group.Format.HYBRID,
        "Tuesdays 7pm",
    )
    assert set(GroupNeed.objects.filter(group=group).values_list("need", flat=True)) == {
        GroupNeed.Need.STEP_FREE
    }


def archive_done(w, actor, response, client, mail):
    redirects_to(response, reverse("groups:organisation", args=[w.cast.org_a.slug]))
    assert Group.objects.get(pk=w.cast.group_a.pk).archived_at is not None
    # Pending invitations to an archived group stop working.
    w.group_invitation.refresh_from_db()
    assert w.group_invitation.revoked_at is not None


def restore_done(w, actor, response, client, mail):
    redirects_to(response, reverse("groups:detail", args=[w.cast.group_a.slug]))
    assert Group.objects.get(pk=w.cast.group_a.pk).archived_at is None


def member_remove_done(w, actor, response, client, mail):
    redirects_to(response, reverse("groups:members", args=[w.cast.group_a.slug]))
    w.peer_membership.refresh_from_db()
    assert w.peer_membership.left_at is not None
    assert w.peer_membership.ending == Membership.Ending.REMOVED
    assert mail == []  # the removed person is not emailed


def leave_done(w, actor, response, client, mail):
    redirects_to(response, reverse("home"))
    own = membership_of(w, actor)
    assert own.left_at is not None
    assert own.ending == Membership.Ending.LEFT


def invitations_done(w, actor, response, client, mail):
    redirects_to(response, reverse("groups:invitations", args=[w.cast.group_a.slug]))
    invitation = Invitation.objects.get(email="invitee@a.test")
    assert (invitation.group, invitation.role, invitation.invited_by) == (
        w.cast.group_a,
        Invitation.Role.PEER,
        actor,
    )
    assert [m.to for m in mail] == [["invitee@a.test"]]
    for secret in w.secrets:  # an email may be read over someone's shoulder
        assert secret not in mail[0].subject
        assert secret not in mail[0].body


def invitation_revoke_done(w, actor, response, client, mail):
    redirects_to(response, reverse("groups:invitations", args=[w.cast.group_a.slug]))
    w.group_invitation.refresh_from_db()
    assert w.group_invitation.revoked_at is not None


def group_create_done(w, actor, response, client, mail):
    created = Group.objects.get(organisation=w.cast.org_a, name="Evening Circle")
    redirects_to(response, reverse("groups:invitations", args=[created.slug]))
    assert created.format == Group.Format.ONLINE
    assert "evening" not in created.slug  # slugs are opaque


def coordinators_done(w, actor, response, client, mail):
    redirects_to(response, reverse("groups:coordinators", args=[w.cast.org_a.slug]))
    invitation = Invitation.objects.get(email="another-organiser@a.test")
    assert (invitation.organisation, invitation.group, invitation.role) == (
        w.cast.org_a,
        None,
        Invitation.Role.COORDINATOR,
    )
    assert [m.to for m in mail] == [["another-organiser@a.test"]]


def coordinator_invitation_revoke_done(w, actor, response, client, mail):
    redirects_to(response, reverse("groups:coordinators", args=[w.cast.org_a.slug]))
    w.coordinator_invitation.refresh_from_db()
    assert w.coordinator_invitation.revoked_at is not None


GROUP_PAGES = {
    "groups:list": Page(shows=lambda w, role, actor: group_names_for(w, role)),
    "groups:detail": Page(
        kwargs=group_kwargs,
        private_object=True,
        shows=lambda w, role, actor: [
            w.cast.group_a.name,
            GROUP_A_PURPOSE,
            w.cast.facilitator.display_name,
        ],
    ),
    "groups:edit": Page(
        kwargs=group_kwargs,
        private_object=True,
        post=lambda w, actor: {**GROUP_FORM, "base": stamp(w.cast.group_a)},
        effect=edit_done,
        shows=lambda w, role, actor: [w.cast.group_a.name, GROUP_A_PURPOSE],
    ),
    "groups:archive": Page(
        kwargs=group_kwargs,
        private_object=True,
        effect=archive_done,
        shows=lambda w, role, actor: ["Archive this group?", w.cast.group_a.name],
    ),
    "groups:restore": Page(
        kwargs=group_kwargs,
        private_object=True,
        effect=restore_done,
        setup=lambda w: Group.objects.filter(pk=w.cast.group_a.pk).update(
            archived_at=timezone.now()
        ),
    ),
    "groups:members": Page(
        kwargs=group_kwargs,
        private_object=True,
        shows=lambda w, role, actor: [
            w.cast.facilitator.display_name,
            w.cast.peer.display_name,
            "2 current members",
        ],
    ),
    "groups:member_remove": Page(
        kwargs=lambda w: {"slug": w.cast.group_a.slug, "membership": w.peer_membership.uuid},
        private_object=True,
        effect=member_remove_done,
        shows=lambda w, role, actor: [f"Remove {w.cast.peer.display_name} from the group?"],
    ),
    "groups:leave": Page(
        kwargs=group_kwargs,
        private_object=True,
        effect=leave_done,
        shows=lambda w, role, actor: ["Leave this group?", w.cast.group_a.name],
    ),
    "groups:invitations": Page(
        kwargs=group_kwargs,
        private_object=True,
        post=lambda w, actor: {"email": "invitee@a.test", "role": Invitation.Role.PEER},
        effect=invitations_done,
        shows=lambda w, role, actor: [w.cast.group_a.name, w.group_invitation.email],
    ),
    "groups:invitation_revoke": Page(
        kwargs=lambda w: {"slug": w.cast.group_a.slug, "invitation": w.group_invitation.uuid},
        private_object=True,
        effect=invitation_revoke_done,
    ),
    "groups:organisation": Page(
        kwargs=org_kwargs,
        private_object=True,
        shows=lambda w, role, actor: [w.cast.org_a.name, w.cast.group_a.name],
    ),
    "groups:group_create": Page(
        kwargs=org_kwargs,
        private_object=True,
        post=lambda w, actor: {**GROUP_FORM, "name": "Evening Circle", "format": "online"},
        effect=group_create_done,
        shows=lambda w, role, actor: [w.cast.org_a.name, "Create a group"],
    ),
    "groups:coordinators": Page(
        kwargs=org_kwargs,
        private_object=True,
        post=lambda w, actor: {"email": "another-organiser@a.test"},
        effect=coordinators_done,
        shows=lambda w, role, actor: [
            w.cast.coordinator.display_name,
            w.coordinator_invitation.email,
        ],
    ),
    "groups:audit": Page(
        kwargs=org_kwargs,
        private_object=True,
        shows=lambda w, role, actor: [
            "Audit trail",
            "Ground rules adopted",
            "Breach record made",
            w.cast.facilitator.display_name,
        ],
    ),
    "groups:coordinator_invitation_revoke": Page(
        kwargs=lambda w: {"slug": w.cast.org_a.slug, "invitation": w.coordinator_invitation.uuid},
        private_object=True,
        effect=coordinator_invitation_revoke_done,
    ),
}
