"""Creating, editing, archiving and restoring groups."""

import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from groups import services
from groups.conflicts import stamp_of
from groups.models import Group, GroupNeed, Invitation, Membership
from tests.builders import make_group
from tests.pages import base_of


def text(response) -> str:
    return html.unescape(response.content.decode())


def group_data(**overrides):
    data = {
        "name": "Tuesday Hearing Voices",
        "purpose": "Peer support for people who hear voices.",
        "format": Group.Format.HYBRID,
        "meeting_time": "Tuesdays, 7pm",
        "meeting_place": "Community Hub, room 3",
        "needs": [GroupNeed.Need.STEP_FREE, GroupNeed.Need.QUIET_ROOM],
        "other_needs": "Somewhere to park",
        "upheld_by": Group.UpheldBy.EVERYONE,
    }
    data.update(overrides)
    return data


def needs_of(group):
    return set(GroupNeed.objects.filter(group=group).values_list("need", flat=True))


def group_state(group):
    return Group.objects.filter(pk=group.pk).values().get(), needs_of(group)


def issue(group, email):
    return services.invite(
        organisation=group.organisation,
        group=group,
        role=Invitation.Role.PEER,
        email=email,
        invited_by=None,
        accept_url=lambda token: f"http://testserver/invitations/{token}/",
    )


# Creating -------------------------------------------------------------------


def test_coordinator_creates_a_group_with_its_needs(cast, client_for):
    client = client_for(cast.coordinator)

    response = client.post(
        reverse("groups:group_create", args=[cast.org_a.slug]), group_data(), follow=True
    )

    group = Group.objects.get(name="Tuesday Hearing Voices")
    assert response.redirect_chain == [(reverse("groups:invitations", args=[group.slug]), 302)]
    assert "The group has been created. Next, invite a facilitator." in text(response)
    assert group.organisation == cast.org_a
    assert group.purpose == "Peer support for people who hear voices."
    assert group.format == Group.Format.HYBRID
    assert group.meeting_time == "Tuesdays, 7pm"
    assert group.meeting_place == "Community Hub, room 3"
    assert group.other_needs == "Somewhere to park"
    assert group.upheld_by == Group.UpheldBy.EVERYONE
    assert group.archived_at is None
    assert needs_of(group) == {GroupNeed.Need.STEP_FREE, GroupNeed.Need.QUIET_ROOM}
    # The coordinator is not made a member: they see it as coordinator.
    assert not Membership.objects.filter(group=group).exists()
    detail = text(client.get(reverse("groups:detail", args=[group.slug])))
    assert "Step-free access" in detail
    assert "A quiet room to take time out" in detail


def test_group_slug_is_opaque_and_random(cast, client_for):
    client = client_for(cast.coordinator)
    url = reverse("groups:group_create", args=[cast.org_a.slug])
    client.post(url, group_data(name="Survivors Circle"))
    client.post(url, group_data(name="Survivors Circle Two"))

    slugs = list(Group.objects.filter(name__startswith="Survivors").values_list("slug", flat=True))
    assert len(slugs) == 2
    assert slugs[0] != slugs[1]
    for slug in slugs:
        assert re.fullmatch(r"[a-z0-9]{10}", slug), slug
        assert "survivor" not in slug
        assert "circle" not in slug
        assert slug != slugify("Survivors Circle")


def test_name_is_stripped_and_required(cast, client_for):
    client = client_for(cast.coordinator)
    url = reverse("groups:group_create", args=[cast.org_a.slug])
    client.post(url, group_data(name="  Padded Name  "))
    assert Group.objects.filter(name="Padded Name").exists()

    response = client.post(url, group_data(name="   ", format="weekly"))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "name" in errors
    assert "format" in errors
    assert Group.objects.filter(organisation=cast.org_a).count() == 2  # Group A + Padded Name


def test_duplicate_name_in_the_same_organisation_is_refused(cast, client_for):
    client = client_for(cast.coordinator)
    before = Group.objects.count()

    response = client.post(
        reverse("groups:group_create", args=[cast.org_a.slug]), group_data(name=" group a ")
    )

    assert response.status_code == 200
    assert "Another group in this organisation has that name." in text(response)
    assert Group.objects.count() == before

    # Renaming another group to a taken name is refused too.
    sibling = make_group(cast.org_a, "Sibling")
    response = client.post(reverse("groups:edit", args=[sibling.slug]), group_data(name="GROUP A"))
    assert "Another group in this organisation has that name." in text(response)
    sibling.refresh_from_db()
    assert sibling.name == "Sibling"


def test_same_name_in_another_organisation_is_allowed(cast, client_for):
    client = client_for(cast.other_coordinator)
    client.post(reverse("groups:group_create", args=[cast.org_b.slug]), group_data(name="Group A"))
    assert Group.objects.filter(name="Group A").count() == 2
    assert Group.objects.filter(name="Group A", organisation=cast.org_b).exists()


@pytest.mark.parametrize(
    "who, status", [("facilitator", 404), ("peer", 404), ("other_coordinator", 404)]
)
def test_only_the_organisations_coordinators_create_groups(cast, client_for, who, status):
    before = Group.objects.count()
    client = client_for(getattr(cast, who))
    url = reverse("groups:group_create", args=[cast.org_a.slug])
    assert client.get(url).status_code == status
    assert client.post(url, group_data()).status_code == status
    assert Group.objects.count() == before


# Editing --------------------------------------------------------------------


@pytest.mark.parametrize("editor", ["coordinator", "facilitator"])
def test_leader_edits_a_group_and_its_needs(cast, client_for, editor):
    group = cast.group_a
    GroupNeed.objects.create(group=group, need=GroupNeed.Need.WOMEN_ONLY)
    GroupNeed.objects.create(group=group, need=GroupNeed.Need.QUIET_ROOM)
    slug = group.slug
    client = client_for(getattr(cast, editor))

    form_page = client.get(reverse("groups:edit", args=[slug]))
    assert set(form_page.context["form"]["needs"].initial) == {"women_only", "quiet_room"}

    response = client.post(
        reverse("groups:edit", args=[slug]),
        group_data(
            name="Group A renamed",
            format=Group.Format.ONLINE,
            needs=[GroupNeed.Need.QUIET_ROOM, GroupNeed.Need.CAPTIONS],
            base=base_of(form_page),
        ),
        follow=True,
    )

    assert response.redirect_chain == [(reverse("groups:detail", args=[slug]), 302)]
    assert "Your changes have been saved." in text(response)
    group.refresh_from_db()
    assert group.name == "Group A renamed"
    assert group.format == Group.Format.ONLINE
    assert group.slug == slug  # the address does not change with the name
    assert needs_of(group) == {GroupNeed.Need.QUIET_ROOM, GroupNeed.Need.CAPTIONS}
    assert GroupNeed.objects.filter(group=group).count() == 2

    # Clearing every need removes the rows.
    group.refresh_from_db()
    client.post(
        reverse("groups:edit", args=[slug]),
        group_data(name="Group A renamed", needs=[], base=stamp_of(group)),
    )
    assert needs_of(group) == set()


@pytest.mark.parametrize("who, status", [("peer", 403), ("other_coordinator", 404)])
def test_others_cannot_edit_a_group(cast, client_for, who, status):
    before = group_state(cast.group_a)
    client = client_for(getattr(cast, who))
    url = reverse("groups:edit", args=[cast.group_a.slug])
    assert client.get(url).status_code == status
    assert client.post(url, group_data(name="Hijacked")).status_code == status
    assert group_state(cast.group_a) == before


# Archiving and restoring ----------------------------------------------------


def test_archive_page_asks_first_and_changes_nothing(cast, client_for):
    invitation = issue(cast.group_a, "waiting@example.test")

    response = client_for(cast.coordinator).get(reverse("groups:archive", args=[cast.group_a.slug]))

    assert response.status_code == 200
    assert "Archive this group?" in text(response)
    cast.group_a.refresh_from_db()
    assert cast.group_a.archived_at is None
    invitation.refresh_from_db()
    assert invitation.is_pending


def test_coordinator_archives_a_group_and_its_pending_invitations_stop(cast, client_for):
    waiting = issue(cast.group_a, "waiting@example.test")
    used = issue(cast.group_a, cast.peer.email)
    Invitation.objects.filter(pk=used.pk).update(accepted_at=timezone.now(), accepted_by=cast.peer)
    elsewhere = issue(cast.group_b, "elsewhere@example.test")
    client = client_for(cast.coordinator)

    response = client.post(reverse("groups:archive", args=[cast.group_a.slug]), follow=True)

    assert response.redirect_chain == [
        (reverse("groups:organisation", args=[cast.org_a.slug]), 302)
    ]
    page = text(response)
    assert "The group has been archived. Nothing in it can be changed now." in page
    assert "Archived groups" in page
    assert response.context["archived_groups"] == [cast.group_a]
    cast.group_a.refresh_from_db()
    assert cast.group_a.archived_at is not None
    waiting.refresh_from_db()
    assert waiting.revoked_at is not None
    used.refresh_from_db()
    assert used.revoked_at is None  # an accepted invitation stays accepted
    assert used.accepted_at is not None
    elsewhere.refresh_from_db()
    assert elsewhere.is_pending  # other groups are untouched
    # Memberships are kept.
    assert Membership.objects.filter(group=cast.group_a, left_at__isnull=True).count() == 2


@pytest.mark.parametrize(
    "who, status", [("facilitator", 403), ("peer", 403), ("other_coordinator", 404)]
)
def test_only_coordinators_archive(cast, client_for, who, status):
    client = client_for(getattr(cast, who))
    assert client.post(reverse("groups:archive", args=[cast.group_a.slug])).status_code == status
    cast.group_a.refresh_from_db()
    assert cast.group_a.archived_at is None


@pytest.fixture
def archived(cast):
    services.archive_group(cast.group_a)
    cast.group_a.refresh_from_db()
    return cast.group_a


@pytest.mark.parametrize("who", ["coordinator", "facilitator"])
def test_archived_group_cannot_be_edited_or_invited_to(cast, client_for, archived, who):
    before = group_state(archived)
    memberships = list(Membership.objects.values_list("pk", "left_at"))
    client = client_for(getattr(cast, who))
    peer_membership = Membership.objects.get(group=archived, user=cast.peer)

    for url, data in [
        (reverse("groups:edit", args=[archived.slug]), group_data(name="Changed")),
        (reverse("groups:invitations", args=[archived.slug]), {"email": "new@example.test"}),
        (reverse("groups:member_remove", args=[archived.slug, peer_membership.uuid]), {}),
    ]:
        assert client.get(url).status_code == 403, url
        assert client.post(url, data).status_code == 403, url

    assert group_state(archived) == before
    assert not Invitation.objects.exists()
    assert list(Membership.objects.values_list("pk", "left_at")) == memberships


@pytest.mark.parametrize("who", ["peer", "facilitator", "coordinator"])
def test_members_can_still_read_an_archived_group(cast, client_for, archived, who):
    client = client_for(getattr(cast, who))

    detail = client.get(reverse("groups:detail", args=[archived.slug]))
    members = client.get(reverse("groups:members", args=[archived.slug]))

    assert detail.status_code == 200
    assert "You can read it, but nothing in it can be changed." in text(detail)
    assert "Edit details" not in text(detail)
    assert members.status_code == 200
    assert "Pat Peer" in text(members)
    assert "Fay Facilitator" in text(members)
    # Outsiders still cannot tell it exists.
    assert (
        client_for(cast.other_peer).get(reverse("groups:detail", args=[archived.slug])).status_code
        == 404
    )


def test_archived_group_leaves_the_everyday_lists(cast, client_for, archived):
    client = client_for(cast.peer)
    assert archived.name not in text(client.get(reverse("home")))
    assert archived.name not in text(client.get(reverse("groups:list")))


def test_coordinator_restores_an_archived_group(cast, client_for, archived):
    client = client_for(cast.coordinator)
    url = reverse("groups:restore", args=[archived.slug])

    assert client.get(url).status_code == 405  # a link cannot restore
    assert client_for(cast.facilitator).post(url).status_code == 403
    archived.refresh_from_db()
    assert archived.archived_at is not None

    response = client_for(cast.coordinator).post(url, follow=True)

    assert response.redirect_chain == [(reverse("groups:detail", args=[archived.slug]), 302)]
    assert "The group has been restored." in text(response)
    archived.refresh_from_db()
    assert archived.archived_at is None
    # Editing works again.
    client.post(
        reverse("groups:edit", args=[archived.slug]),
        group_data(name="Back again", base=stamp_of(archived)),
    )
    archived.refresh_from_db()
    assert archived.name == "Back again"
