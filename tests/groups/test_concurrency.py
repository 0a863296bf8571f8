"""Invitations accepted at the same moment, on a real PostgreSQL server.

Each thread has its own database connection (closed at the end) and starts on a
barrier. Where the race needs both transactions to be inside the critical
section together, a second barrier holds each one just after it has locked its
invitation, so the test does not depend on luck.
"""

import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.urls import reverse

from groups import services
from groups.models import Invitation, Membership
from groups.services import InvitationProblem
from tests.builders import add_member, make_group, make_organisation, make_user

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

User = get_user_model()
PASSWORD = "sunflower-meadow-17"


def run_together(*jobs):
    """Run each job in its own thread, all released at once. Returns (value, error) pairs."""
    start = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def worker(index, job):
        try:
            connection.ensure_connection()  # connect first, so the start is really together
            start.wait(timeout=10)
            results[index] = (job(), None)
        except Exception as error:  # handed back to the test
            results[index] = (None, error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
        assert not thread.is_alive(), "a thread is stuck (deadlock?)"
    return results


def hold_after_locking(monkeypatch, parties):
    """Make each acceptance wait, with its invitation locked, until all have got that far."""
    inside = threading.Barrier(parties)
    real = services._lock_usable

    def lock_then_wait(token):
        invitation = real(token)
        inside.wait(timeout=10)
        return invitation

    monkeypatch.setattr(services, "_lock_usable", lock_then_wait)


def issue(group, email, role=Invitation.Role.PEER):
    tokens = []
    services.invite(
        organisation=group.organisation,
        group=group,
        role=role,
        email=email,
        invited_by=None,
        accept_url=lambda token: tokens.append(token) or f"http://testserver/{token}/",
    )
    return tokens[0]


@pytest.fixture
def setting():
    org = make_organisation("Riverside")
    group = make_group(org, "Group A")
    add_member(group, make_user("Fay", "facilitator@a.test"), Membership.Role.FACILITATOR)
    return group


def test_one_invitation_accepted_twice_at_once(setting):
    group = setting
    person = make_user("Nia", "nia@example.test")
    token = issue(group, person.email)

    results = run_together(
        lambda: services.accept_invitation(token=token, user=person),
        lambda: services.accept_invitation(token=token, user=person),
    )

    accepted = [value for value, error in results if error is None]
    errors = [error for value, error in results if error is not None]
    assert len(accepted) == 1, results
    assert len(errors) == 1, results
    assert isinstance(errors[0], InvitationProblem), errors[0]
    assert errors[0].code == InvitationProblem.USED
    assert accepted[0].already_member is False
    assert Membership.objects.filter(group=group, user=person).count() == 1
    invitation = Invitation.objects.get()
    assert invitation.accepted_by == person
    assert invitation.accepted_at is not None


def test_one_invitation_used_for_two_sign_ups_at_once(setting):
    group = setting
    token = issue(group, "brand.new@example.test")

    results = run_together(
        lambda: services.sign_up_and_accept(token=token, display_name="A", password=PASSWORD),
        lambda: services.sign_up_and_accept(token=token, display_name="B", password=PASSWORD),
    )

    errors = [error for value, error in results if error is not None]
    assert len(errors) == 1, results
    assert isinstance(errors[0], InvitationProblem), errors[0]
    assert errors[0].code == InvitationProblem.USED
    person = User.objects.get(email="brand.new@example.test")
    assert Membership.objects.filter(group=group, user=person).count() == 1


def test_two_invitations_for_the_same_person_accepted_at_once(setting, monkeypatch):
    """Through the view, as two browser tabs would: no 500, one current membership."""
    group = setting
    person = make_user("Nia", "nia@example.test")
    tokens = [
        issue(group, person.email, Invitation.Role.PEER),
        issue(group, person.email, Invitation.Role.FACILITATOR),
    ]
    hold_after_locking(monkeypatch, parties=2)

    def accept(token):
        def job():
            client = Client()
            client.force_login(person)
            return client.post(reverse("invitation_accept", args=[token]))

        return job

    results = run_together(*(accept(token) for token in tokens))

    for response, error in results:
        assert error is None, error
        assert response.status_code == 302
        assert response["Location"] == reverse("groups:detail", args=[group.slug])
    current = Membership.objects.filter(group=group, user=person, left_at__isnull=True)
    assert current.count() == 1
    # Whichever came first, the facilitator invitation wins: it promotes, a peer one never demotes.
    assert current.get().role == Membership.Role.FACILITATOR
    assert Membership.objects.filter(group=group, user=person).count() == 1
    assert set(Invitation.objects.values_list("accepted_by", flat=True)) == {person.pk}


def test_two_invitations_for_a_new_person_signed_up_at_once(setting, monkeypatch):
    """Two invitations to one address (two groups): one account, the other told it exists."""
    group = setting
    other_group = make_group(group.organisation, "Group A2")
    tokens = [issue(group, "brand.new@example.test"), issue(other_group, "brand.new@example.test")]
    hold_after_locking(monkeypatch, parties=2)

    results = run_together(
        *(
            (
                lambda token=token: services.sign_up_and_accept(
                    token=token, display_name="Nia", password=PASSWORD
                )
            )
            for token in tokens
        )
    )

    errors = [error for value, error in results if error is not None]
    assert len(errors) == 1, results
    assert isinstance(errors[0], InvitationProblem), errors[0]
    assert errors[0].code == InvitationProblem.ACCOUNT_EXISTS
    person = User.objects.get(email="brand.new@example.test")
    assert Membership.objects.filter(user=person).count() == 1
    # The refused invitation is untouched: signed in, the person can still accept it.
    assert Invitation.objects.filter(accepted_at__isnull=True, revoked_at__isnull=True).count() == 1
