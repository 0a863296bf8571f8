"""Invitations: sending them, accepting them, and every way they can fail.

An invitation is a single-use, expiring link. Only a SHA-256 hash of its token
is stored, the email never names the group, and a link that cannot be used
changes nothing and says why.
"""

import hashlib
import html
import io
import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user, get_user_model
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from groups import services
from groups.models import Coordinator, Group, Invitation, Membership
from tests.builders import add_member, database_state, database_text, make_group, make_user

User = get_user_model()

SUBJECT = "You've been invited to join a group on SafeSpace"
LINK_RE = re.compile(r"http://testserver/invitations/([A-Za-z0-9_\-]+)/")
GOOD_PASSWORD = "sunflower-meadow-17"


# Helpers --------------------------------------------------------------------


def text(response) -> str:
    """The page as a reader sees it (HTML entities decoded)."""
    return html.unescape(response.content.decode())


def accept_url(token) -> str:
    return reverse("invitation_accept", args=[token])


def issue(group, email, role=Invitation.Role.PEER, *, organisation=None, invited_by=None):
    """Create an invitation through the service; return it with its raw token."""
    tokens = []

    def build(token):
        tokens.append(token)
        return f"http://testserver{accept_url(token)}"

    invitation = services.invite(
        organisation=organisation or group.organisation,
        group=group,
        role=role,
        email=email,
        invited_by=invited_by,
        accept_url=build,
    )
    return invitation, tokens[0]


def token_from(message) -> str:
    match = LINK_RE.search(message.body)
    assert match, message.body
    return match.group(1)


def signed_in_user(client):
    return get_user(client)


@pytest.fixture
def send(client, django_capture_on_commit_callbacks, mailoutbox):
    """POST an invitation form as the signed-in client, running on-commit email sending."""

    def post(url, **data):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data, follow=True)

    return post


# Sending --------------------------------------------------------------------


def test_facilitator_invites_a_peer_and_only_a_hash_of_the_token_is_stored(
    cast, client_for, send, mailoutbox
):
    group = cast.group_a
    group.name = "Hearing Voices Circle"
    group.purpose = "Peer support for people who hear voices."
    group.save()
    client_for(cast.facilitator)
    before = timezone.now()

    response = send(
        reverse("groups:invitations", args=[group.slug]), email=" New.Person@Example.TEST "
    )

    assert response.redirect_chain[-1][0] == reverse("groups:invitations", args=[group.slug])
    page = text(response)
    assert "Invitation sent." in page
    assert "new.person@example.test" in page  # listed as waiting

    invitation = Invitation.objects.get()
    assert invitation.email == "new.person@example.test"
    assert invitation.role == Invitation.Role.PEER
    assert invitation.group == group
    assert invitation.organisation == cast.org_a
    assert invitation.invited_by == cast.facilitator
    assert invitation.is_pending
    assert (
        before + timedelta(days=14) <= invitation.expires_at <= timezone.now() + timedelta(days=14)
    )

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.subject == SUBJECT
    assert message.to == ["new.person@example.test"]
    token = token_from(message)
    assert f"http://testserver{accept_url(token)}" in message.body
    for secret in ("Hearing Voices", "hear voices", cast.org_a.name):
        assert secret not in message.subject
        assert secret not in message.body

    # Only the SHA-256 hash of the token is kept; the raw token is nowhere in the database.
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    stored = database_text()
    assert invitation.token_hash in stored
    assert token not in stored

    # The link opens the invitation.
    opened = client_for(None).get(accept_url(token))
    assert opened.status_code == 200
    assert "Join Hearing Voices Circle" in text(opened)


def test_coordinator_invites_a_facilitator_to_a_group(cast, client_for, send, mailoutbox):
    client = client_for(cast.coordinator)
    url = reverse("groups:invitations", args=[cast.group_a.slug])
    assert 'name="role"' in client.get(url).content.decode()

    send(url, email="fresh.facilitator@example.test", role="facilitator")

    invitation = Invitation.objects.get()
    assert invitation.role == Invitation.Role.FACILITATOR
    assert invitation.group == cast.group_a
    assert invitation.invited_by == cast.coordinator
    assert [m.to for m in mailoutbox] == [["fresh.facilitator@example.test"]]
    assert mailoutbox[0].subject == SUBJECT

    # Accepting it makes the new person a facilitator of the group.
    client_for(None)
    response = client.post(
        accept_url(token_from(mailoutbox[0])),
        {"display_name": "Fern", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD},
    )
    fern = User.objects.get(email="fresh.facilitator@example.test")
    assert response.status_code == 302
    membership = Membership.objects.get(group=cast.group_a, user=fern)
    assert membership.role == Membership.Role.FACILITATOR
    assert membership.is_current


def test_coordinator_invites_another_coordinator(cast, client_for, send, mailoutbox):
    client = client_for(cast.coordinator)
    url = reverse("groups:coordinators", args=[cast.org_a.slug])
    assert 'name="role"' not in client.get(url).content.decode()

    response = send(url, email="Second.Coordinator@example.test", role="facilitator")

    assert "Invitation sent." in text(response)
    invitation = Invitation.objects.get()
    assert invitation.role == Invitation.Role.COORDINATOR
    assert invitation.group is None
    assert invitation.organisation == cast.org_a
    assert invitation.email == "second.coordinator@example.test"
    assert len(mailoutbox) == 1
    assert cast.org_a.name not in mailoutbox[0].body
    token = token_from(mailoutbox[0])
    assert token not in database_text()

    client_for(None)
    response = client.post(
        accept_url(token),
        {"display_name": "Cody", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD},
    )
    cody = User.objects.get(email="second.coordinator@example.test")
    assert response.status_code == 302
    assert response["Location"] == reverse("groups:organisation", args=[cast.org_a.slug])
    assert Coordinator.objects.filter(organisation=cast.org_a, user=cody).exists()
    assert not Membership.objects.filter(user=cody).exists()
    assert signed_in_user(client) == cody
    assert client.get(response["Location"]).status_code == 200


def test_facilitator_cannot_invite_a_facilitator(cast, client_for, send, mailoutbox):
    client = client_for(cast.facilitator)
    url = reverse("groups:invitations", args=[cast.group_a.slug])
    page = client.get(url).content.decode()
    assert 'name="role"' not in page
    assert 'name="email"' in page

    send(url, email="sneaky@example.test", role="facilitator")

    invitation = Invitation.objects.get()
    assert invitation.role == Invitation.Role.PEER
    assert len(mailoutbox) == 1


@pytest.mark.parametrize(
    "who, status", [("peer", 403), ("other_peer", 404), ("other_coordinator", 404)]
)
def test_people_who_may_not_invite_are_refused(cast, client_for, send, mailoutbox, who, status):
    client = client_for(getattr(cast, who))
    url = reverse("groups:invitations", args=[cast.group_a.slug])
    assert client.get(url).status_code == status
    response = client.post(url, {"email": "friend@example.test", "role": "facilitator"})
    assert response.status_code == status
    assert not Invitation.objects.exists()
    assert mailoutbox == []
    if status == 404:
        assert cast.group_a.name not in text(response)


def test_duplicate_pending_invitation_is_refused(cast, client_for, send, mailoutbox):
    client_for(cast.facilitator)
    url = reverse("groups:invitations", args=[cast.group_a.slug])
    send(url, email="twice@example.test")

    response = send(url, email="TWICE@example.test ")

    assert response.status_code == 200
    assert response.redirect_chain == []
    assert "This address already has an invitation waiting. Revoke it to send a new one." in text(
        response
    )
    assert Invitation.objects.count() == 1
    assert len(mailoutbox) == 1

    # Once the first is revoked, a new one can be sent; the old link stays dead.
    first = Invitation.objects.get()
    send(reverse("groups:invitation_revoke", args=[cast.group_a.slug, first.uuid]))
    send(url, email="twice@example.test")
    assert Invitation.objects.count() == 2
    assert len(mailoutbox) == 2
    assert client_for(None).get(accept_url(token_from(mailoutbox[0]))).status_code == 410
    assert client_for(None).get(accept_url(token_from(mailoutbox[1]))).status_code == 200


def test_same_address_may_be_invited_to_two_groups(cast, client_for, send, mailoutbox):
    """The duplicate check is per group, not global."""
    other_group = make_group(cast.org_a, "Group A2")
    client_for(cast.coordinator)
    send(
        reverse("groups:invitations", args=[cast.group_a.slug]),
        email="both@example.test",
        role="peer",
    )
    send(
        reverse("groups:invitations", args=[other_group.slug]),
        email="both@example.test",
        role="peer",
    )
    assert sorted(Invitation.objects.values_list("group__name", flat=True)) == [
        "Group A",
        "Group A2",
    ]


# Accepting ------------------------------------------------------------------


def test_new_person_signs_up_and_joins(cast, client):
    invitation, token = issue(cast.group_a, "newcomer@example.test", invited_by=cast.facilitator)

    page = client.get(accept_url(token))
    assert page.status_code == 200
    assert "Create your account" in text(page)
    assert "newcomer@example.test" in text(page)
    assert not User.objects.filter(email="newcomer@example.test").exists()

    response = client.post(
        accept_url(token),
        {"display_name": "  Robin  ", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD},
        follow=True,
    )

    robin = User.objects.get(email="newcomer@example.test")
    assert robin.display_name == "Robin"
    assert robin.check_password(GOOD_PASSWORD)
    membership = Membership.objects.get(user=robin)
    assert membership.group == cast.group_a
    assert membership.role == Membership.Role.PEER
    assert membership.is_current
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert invitation.accepted_by == robin
    assert signed_in_user(client) == robin
    assert response.redirect_chain == [(reverse("groups:detail", args=[cast.group_a.slug]), 302)]
    assert "Welcome. You have joined." in text(response)
    assert "Group A" in text(response)


def test_existing_account_signed_in_accepts(cast, client_for):
    newcomer = make_user("Nia", "nia@example.test")
    invitation, token = issue(cast.group_a, "NIA@example.test")
    client = client_for(newcomer)

    before = database_state()
    page = client.get(accept_url(token))
    assert page.status_code == 200
    assert "Accept invitation" in text(page)
    assert database_state() == before  # opening the link changes nothing

    response = client.post(accept_url(token), follow=True)

    assert response.redirect_chain == [(reverse("groups:detail", args=[cast.group_a.slug]), 302)]
    assert "Welcome. You have joined." in text(response)
    membership = Membership.objects.get(user=newcomer)
    assert membership.group == cast.group_a
    assert membership.role == Membership.Role.PEER
    invitation.refresh_from_db()
    assert invitation.accepted_by == newcomer
    assert User.objects.filter(email="nia@example.test").count() == 1


def test_existing_account_not_signed_in_is_told_to_sign_in(cast, client):
    newcomer = make_user("Nia", "nia@example.test", password="original-password-1")
    invitation, token = issue(cast.group_a, "nia@example.test")
    before = database_state()

    page = client.get(accept_url(token))
    assert page.status_code == 200
    content = text(page)
    assert "You already have a SafeSpace account" in content
    login_url = f"{reverse('login')}?next={accept_url(token)}"
    assert login_url in content
    assert 'name="password1"' not in content

    # Someone holding the link cannot take over the account by "signing up" again.
    response = client.post(
        accept_url(token),
        {"display_name": "Impostor", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD},
    )
    assert response.status_code == 200
    assert "You already have a SafeSpace account" in text(response)
    assert database_state() == before
    newcomer.refresh_from_db()
    assert newcomer.check_password("original-password-1")
    assert not signed_in_user(client).is_authenticated

    # Signing in brings them back to the invitation, which they then accept.
    signed_in = client.post(
        login_url, {"username": "nia@example.test", "password": "original-password-1"}
    )
    assert signed_in["Location"] == accept_url(token)
    client.post(accept_url(token))
    assert Membership.objects.get(user=newcomer).group == cast.group_a
    invitation.refresh_from_db()
    assert invitation.accepted_by == newcomer


def test_signed_in_with_a_different_email_is_refused(cast, client_for):
    invitation, token = issue(cast.group_a, "someone.else@example.test")
    client = client_for(cast.other_peer)
    before = database_state()

    for response in (client.get(accept_url(token)), client.post(accept_url(token))):
        assert response.status_code == 403
        assert "This invitation is for someone else" in text(response)
        assert cast.group_a.name not in text(response)

    assert database_state() == before
    invitation.refresh_from_db()
    assert invitation.is_pending
    assert not Membership.objects.filter(user=cast.other_peer, group=cast.group_a).exists()


def test_accepting_twice_is_refused_and_changes_nothing(cast, client_for):
    newcomer = make_user("Nia", "nia@example.test")
    _invitation, token = issue(cast.group_a, "nia@example.test")
    client = client_for(newcomer)
    assert client.post(accept_url(token)).status_code == 302
    before = database_state()

    again = client.post(accept_url(token))

    assert again.status_code == 410
    assert "This invitation has already been used" in text(again)
    assert database_state() == before
    assert Membership.objects.filter(user=newcomer).count() == 1


def _used(cast, invitation, token):
    services.accept_invitation(token=token, user=User.objects.get(email=invitation.email))


def _expired(cast, invitation, token):
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )


def _revoked(cast, invitation, token):
    services.revoke_invitation(invitation, by=None)


def _archived(cast, invitation, token):
    services.archive_group(cast.group_a)


def _archived_without_revoking(cast, invitation, token):
    Group.objects.filter(pk=cast.group_a.pk).update(archived_at=timezone.now())


BAD_CASES = {
    "used": (_used, 410, "This invitation has already been used"),
    "expired": (_expired, 410, "This invitation has expired"),
    "revoked": (_revoked, 410, "This invitation was withdrawn"),
    "archived": (_archived, 410, "This group is no longer active"),
    "archived-not-revoked": (_archived_without_revoking, 410, "This group is no longer active"),
}


@pytest.mark.parametrize("case", BAD_CASES)
@pytest.mark.parametrize("visitor", ["signed-in invitee", "anonymous, new account"])
def test_an_unusable_invitation_changes_nothing_and_says_why(cast, client_for, case, visitor):
    make_bad, status, message = BAD_CASES[case]
    if visitor == "signed-in invitee":
        invitee = make_user("Nia", "nia@example.test")
        invitation, token = issue(cast.group_a, invitee.email)
        make_bad(cast, invitation, token)
        client = client_for(invitee)
    else:
        invitation, token = issue(cast.group_a, "brand.new@example.test")
        if case == "used":
            services.sign_up_and_accept(token=token, display_name="Bo", password=GOOD_PASSWORD)
        else:
            make_bad(cast, invitation, token)
        client = client_for(None)
    before = database_state()

    opened = client.get(accept_url(token))
    posted = client.post(
        accept_url(token),
        {"display_name": "Bo", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD},
    )

    for response in (opened, posted):
        assert response.status_code == status
        assert message in text(response)
    assert database_state() == before
    if visitor == "anonymous, new account":
        assert not signed_in_user(client).is_authenticated


@pytest.mark.parametrize("visitor", ["signed-in", "anonymous"])
def test_tampered_or_unknown_token_is_not_found(cast, client_for, visitor):
    invitation, token = issue(
        cast.group_a, cast.peer.email if visitor == "signed-in" else "x@y.test"
    )
    client = client_for(cast.peer if visitor == "signed-in" else None)
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    before = database_state()

    for bad in (tampered, "not-a-real-token", invitation.token_hash):
        for response in (
            client.get(accept_url(bad)),
            client.post(
                accept_url(bad),
                {"display_name": "Bo", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD},
            ),
        ):
            assert response.status_code == 404
            assert "This invitation link is not valid" in text(response)
            assert cast.group_a.name not in text(response)

    assert database_state() == before
    invitation.refresh_from_db()
    assert invitation.is_pending


def test_facilitator_invitation_promotes_a_current_peer(cast, client_for):
    peer_membership = Membership.objects.get(user=cast.peer, group=cast.group_a)
    invitation, token = issue(cast.group_a, cast.peer.email, Invitation.Role.FACILITATOR)
    client = client_for(cast.peer)

    response = client.post(accept_url(token), follow=True)

    assert "Welcome. You have joined." in text(response)
    current = Membership.objects.filter(user=cast.peer, group=cast.group_a, left_at__isnull=True)
    assert list(current) == [peer_membership]  # the same membership, not a second one
    peer_membership.refresh_from_db()
    assert peer_membership.role == Membership.Role.FACILITATOR
    assert peer_membership.joined_at < timezone.now()
    invitation.refresh_from_db()
    assert invitation.accepted_by == cast.peer


def test_peer_invitation_never_demotes_a_facilitator(cast, client_for):
    membership = Membership.objects.get(user=cast.facilitator, group=cast.group_a)
    invitation, token = issue(cast.group_a, cast.facilitator.email, Invitation.Role.PEER)
    client = client_for(cast.facilitator)

    response = client.post(accept_url(token), follow=True)

    assert "You were already a member, so nothing has changed." in text(response)
    membership.refresh_from_db()
    assert membership.role == Membership.Role.FACILITATOR
    assert Membership.objects.filter(user=cast.facilitator, group=cast.group_a).count() == 1
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None  # used up, even though nothing else changed


# Revoking -------------------------------------------------------------------


def test_facilitator_revokes_an_invitation(cast, client_for):
    invitation, token = issue(cast.group_a, "maybe@example.test")
    client = client_for(cast.facilitator)
    url = reverse("groups:invitation_revoke", args=[cast.group_a.slug, invitation.uuid])

    assert client.get(url).status_code == 405  # a link cannot revoke
    invitation.refresh_from_db()
    assert invitation.revoked_at is None

    response = client.post(url, follow=True)

    assert "The invitation has been revoked. Its link no longer works." in text(response)
    assert "maybe@example.test" not in text(response)  # no longer listed as waiting
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert invitation.accepted_at is None
    dead = client_for(None).get(accept_url(token))
    assert dead.status_code == 410
    assert "This invitation was withdrawn" in text(dead)

    # Revoking again finds nothing to revoke.
    assert client_for(cast.facilitator).post(url).status_code == 404


@pytest.mark.parametrize("who, status", [("peer", 403), ("other_coordinator", 404)])
def test_only_leaders_of_the_group_may_revoke(cast, client_for, who, status):
    invitation, _token = issue(cast.group_a, "maybe@example.test")
    url = reverse("groups:invitation_revoke", args=[cast.group_a.slug, invitation.uuid])

    assert client_for(getattr(cast, who)).post(url).status_code == status

    invitation.refresh_from_db()
    assert invitation.is_pending


def test_an_invitation_cannot_be_revoked_through_another_group(cast, client_for):
    invitation, _token = issue(cast.group_b, "b-invitee@example.test")
    sibling = make_group(cast.org_a, "Sibling")
    add_member(sibling, cast.facilitator, Membership.Role.FACILITATOR)
    url = reverse("groups:invitation_revoke", args=[sibling.slug, invitation.uuid])

    assert client_for(cast.facilitator).post(url).status_code == 404

    invitation.refresh_from_db()
    assert invitation.is_pending


def test_coordinator_revokes_a_coordinator_invitation(cast, client_for):
    invitation, token = issue(
        None, "co@example.test", Invitation.Role.COORDINATOR, organisation=cast.org_a
    )
    url = reverse("groups:coordinator_invitation_revoke", args=[cast.org_a.slug, invitation.uuid])

    assert client_for(cast.other_coordinator).post(url).status_code == 404
    invitation.refresh_from_db()
    assert invitation.is_pending

    client_for(cast.coordinator).post(url)
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert client_for(None).get(accept_url(token)).status_code == 410


# Sign-up validation -----------------------------------------------------------


@pytest.mark.parametrize(
    "data, field, error",
    [
        (
            {"display_name": "Bo", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD + "x"},
            "password2",
            "The two passwords do not match.",
        ),
        (
            {"display_name": "Bo", "password1": "short1x", "password2": "short1x"},
            "password1",
            "This password is too short. It must contain at least 10 characters.",
        ),
        (
            {"display_name": "Bo", "password1": "password123", "password2": "password123"},
            "password1",
            "This password is too common.",
        ),
        (
            {
                "display_name": "Bo",
                "password1": "brand.new@example.test",
                "password2": "brand.new@example.test",
            },
            "password1",
            "The password is too similar to the email address.",
        ),
        (
            {"display_name": "   ", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD},
            "display_name",
            "This field is required.",
        ),
        (
            {"display_name": "", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD},
            "display_name",
            "This field is required.",
        ),
        (
            {"display_name": "B" * 61, "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD},
            "display_name",
            "Ensure this value has at most 60 characters (it has 61).",
        ),
    ],
    ids=["mismatch", "too-short", "too-common", "like-email", "blank-name", "no-name", "long-name"],
)
def test_sign_up_validation(cast, client, data, field, error):
    invitation, token = issue(cast.group_a, "brand.new@example.test")
    before = database_state()

    response = client.post(accept_url(token), data)

    assert response.status_code == 200
    assert error in response.context["form"].errors[field]
    assert error in text(response)
    assert database_state() == before
    assert not User.objects.filter(email="brand.new@example.test").exists()
    assert not signed_in_user(client).is_authenticated
    invitation.refresh_from_db()
    assert invitation.is_pending


# The address an invitation was sent to is kept only while it can be used -------------------


def _housekeeping():
    out = io.StringIO()
    call_command("housekeeping", stdout=out)
    return out.getvalue()


def test_an_invitations_address_is_forgotten_once_it_cannot_be_used(cast):
    newcomer = make_user("Nia Newcomer", "nia@a.test")
    accepted, token = issue(cast.group_a, "nia@a.test")
    services.accept_invitation(token=token, user=newcomer)
    revoked, _token = issue(cast.group_a, "rev@a.test")
    services.revoke_invitation(revoked, by=None)
    archived_group = make_group(cast.org_a, "Closing group")
    archived, _token = issue(archived_group, "arch@a.test")
    services.archive_group(archived_group)
    expired, _token = issue(cast.group_a, "exp@a.test")
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(1))
    pending, _token = issue(cast.group_a, "still@a.test")

    # Accepting, revoking and archiving forget the address at once ...
    emails = dict(Invitation.objects.values_list("pk", "email"))
    assert [emails[i.pk] for i in (accepted, revoked, archived)] == ["", "", ""]
    assert (emails[expired.pk], emails[pending.pk]) == ("exp@a.test", "still@a.test")
    # ... and housekeeping forgets the expired one's, keeping what can still be used.
    assert "1 invitation email addresses forgotten" in _housekeeping()
    emails = dict(Invitation.objects.values_list("pk", "email"))
    assert (emails[expired.pk], emails[pending.pk]) == ("", "still@a.test")
    assert "rev@a.test" not in database_text() and "exp@a.test" not in database_text()
    assert "0 invitation email addresses forgotten" in _housekeeping()
    # Who accepted stays on record, without the address.
    accepted.refresh_from_db()
    assert accepted.accepted_by == newcomer


def test_housekeeping_deletes_expired_sessions_only(cast, client_for):
    client_for(cast.peer)
    live = Session.objects.get()
    stale = Session.objects.create(
        session_key="stale" * 6, session_data="", expire_date=timezone.now() - timedelta(1)
    )
    assert "1 expired sessions deleted" in _housekeeping()
    assert list(Session.objects.values_list("pk", flat=True)) == [live.pk]
    assert stale.pk != live.pk


def test_an_invitation_to_another_spelling_of_an_address_reaches_the_same_account(
    cast, client_for, send, mailoutbox
):
    """Fullwidth letters fold to the one stored spelling, as signing in folds them."""
    member = make_user("Wren Existing", "wren@a.test")
    client_for(cast.facilitator)
    send(reverse("groups:invitations", args=[cast.group_a.slug]), email="wren@ａ.test")
    invitation = Invitation.objects.get()
    assert invitation.email == "wren@a.test"

    response = client_for(member).post(accept_url(token_from(mailoutbox[0])), follow=True)

    assert response.status_code == 200
    assert Membership.objects.current().filter(user=member, group=cast.group_a).exists()
    assert get_user_model().objects.filter(email="wren@a.test").count() == 1


def test_a_group_nobody_facilitates_offers_to_invite_a_facilitator_first(cast, client_for):
    client = client_for(cast.coordinator)
    response = client.post(
        reverse("groups:group_create", args=[cast.org_a.slug]),
        {"name": "Brand New", "format": "in_person", "upheld_by": "facilitators"},
        follow=True,
    )
    group = Group.objects.get(name="Brand New")
    assert response.redirect_chain[-1][0] == reverse("groups:invitations", args=[group.slug])
    assert response.context["form"]["role"].value() == Invitation.Role.FACILITATOR

    services.invite(
        organisation=cast.org_a,
        group=group,
        role=Invitation.Role.FACILITATOR,
        email="fay.new@example.org",
        invited_by=cast.coordinator,
        accept_url=lambda token: "https://x.test/" + token,
    )
    url = reverse("groups:invitations", args=[group.slug])
    # Once a facilitator is invited (or facilitates), the next invitation is a peer's.
    assert client.get(url).context["form"]["role"].value() == Invitation.Role.PEER
    assert (
        client_for(cast.coordinator)
        .get(reverse("groups:invitations", args=[cast.group_a.slug]))
        .context["form"]["role"]
        .value()
        == Invitation.Role.PEER
    )
