"""Limits on what anyone can make SafeSpace send (groups/limits.py).

Played as the attacker: a facilitator who fires invitations at one address, a
leader who presses "remind" again and again. Each refusal says why in plain words,
sends nothing and makes nothing; the counts hold no address.
"""

import re
from datetime import timedelta

import pytest
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from groundrules.models import Version
from groups import limits
from groups.models import Invitation, SendQuota
from tests.builders import add_member, database_text, make_user, put_to_group, rules_url

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
INVITE_LIMIT = "Too many invitations have been sent from your account or to this address"


def _invite(client, group, email, capture):
    with capture(execute=True):
        return client.post(
            reverse("groups:invitations", args=[group.slug]),
            {"email": email, "role": "peer"},
            follow=True,
        )


def test_one_address_gets_at_most_three_invitations_a_day(
    cast, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    client = client_for(cast.facilitator)
    for _ in range(3):
        page = _invite(client, cast.group_a, "target@else.test", django_capture_on_commit_callbacks)
        assert "Invitation sent." in page.content.decode()
        # Revoke it, so that the "already has an invitation" rule doesn't stop the next one.
        Invitation.objects.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())

    page = _invite(client, cast.group_a, "TARGET@else.test", django_capture_on_commit_callbacks)

    assert page.status_code == 200
    assert INVITE_LIMIT in page.content.decode()
    assert Invitation.objects.count() == 3
    assert len(mailoutbox) == 3
    # Another leader can't send a fourth either: the limit is the address's.
    other = client_for(cast.coordinator)
    page = _invite(other, cast.group_a, "target@else.test", django_capture_on_commit_callbacks)
    assert INVITE_LIMIT in page.content.decode()
    assert len(mailoutbox) == 3
    assert "target@else.test" not in "".join(
        str(v) for v in SendQuota.objects.values_list("key", flat=True)
    )


def test_a_sender_gets_at_most_thirty_invitations_an_hour(
    cast, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    client = client_for(cast.facilitator)
    for n in range(30):
        page = _invite(client, cast.group_a, f"p{n}@else.test", django_capture_on_commit_callbacks)
        assert "Invitation sent." in page.content.decode(), n

    page = _invite(client, cast.group_a, "p30@else.test", django_capture_on_commit_callbacks)

    assert INVITE_LIMIT in page.content.decode()
    assert Invitation.objects.count() == 30
    assert len(mailoutbox) == 30


def test_a_refused_send_counts_against_no_limit(cast):
    """All limits or none: the address's count is untouched when the sender's is used up."""
    sender = make_user()
    for n in range(30):
        limits.take("invitation", sender=sender.pk, recipient=f"x{n}@else.test")
    with pytest.raises(limits.LimitReached):
        limits.take("invitation", sender=sender.pk, recipient="fresh@else.test")
    for _ in range(3):  # the fresh address still has all three of its own
        limits.take("invitation", sender=make_user().pk, recipient="fresh@else.test")
    with pytest.raises(limits.LimitReached):
        limits.take("invitation", sender=make_user().pk, recipient="fresh@else.test")


def test_counts_store_no_address(cast):
    limits.take("invitation", sender=cast.facilitator.pk, recipient="secret.person@else.test")
    assert "secret.person" not in database_text()


def test_reminders_for_a_round_go_at_most_once_a_day(
    cast, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    version = put_to_group(cast.group_a, cast.facilitator, ["Listen."])
    client = client_for(cast.facilitator)
    url = rules_url("remind", cast.group_a, version.number)

    def remind():
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, follow=True).content.decode()

    # The peer; never the facilitator who sends it.
    assert "Reminder sent to 1 person." in remind()
    assert [m.to for m in mailoutbox] == [[cast.peer.email]]
    add_member(cast.group_a, make_user("Nia Newcomer", "nia@a.test"))
    page = remind()
    assert "A reminder has already been sent today." in page
    assert len(mailoutbox) == 1

    # A day later: the counts' windows are a day older. The peer was reminded lately.
    SendQuota.objects.update(window_start=F("window_start") - timedelta(days=1))
    assert "Reminder sent to 1 person." in remind()
    assert [m.to for m in mailoutbox] == [[cast.peer.email], ["nia@a.test"]]
    assert Version.objects.get(pk=version.pk).status == Version.Status.IN_ROUND


def test_housekeeping_forgets_old_counts(cast):
    limits.take("invitation", sender=cast.facilitator.pk, recipient="a@else.test")
    SendQuota.objects.update(window_start=timezone.now() - timedelta(days=3))
    limits.take("invitation", sender=cast.facilitator.pk, recipient="b@else.test")
    assert limits.forget_old() == 3  # one row per limit of the old send
    assert SendQuota.objects.count() == 3


def test_password_resets_to_one_address_stop_after_three_an_hour(cast, client, mailoutbox):
    url = reverse("password_reset")
    for _ in range(3):
        assert client.post(url, {"email": "peer@a.test"})["Location"] == reverse(
            "password_reset_done"
        )
    assert len(mailoutbox) == 3

    page = client.post(url, {"email": "Peer@A.test"})

    assert page.status_code == 200
    assert "Too many password reset emails have been asked for." in page.content.decode()
    assert len(mailoutbox) == 3


def test_the_reset_limit_says_nothing_about_who_has_an_account(cast, client):
    url = reverse("password_reset")
    answers = []
    for email in ("peer@a.test", "nobody@a.test"):
        for _ in range(3):
            client.post(url, {"email": email})
        page = client.post(url, {"email": email}).content.decode()
        answers.append(CSRF.sub("", page.replace(email, "ADDRESS")))
    assert answers[0] == answers[1]


def test_one_client_asks_for_at_most_twenty_resets_an_hour(cast, client, mailoutbox):
    url = reverse("password_reset")
    for n in range(20):
        client.post(url, {"email": f"someone{n}@else.test"})
    page = client.post(url, {"email": "peer@a.test"})
    assert "Too many password reset emails have been asked for." in page.content.decode()
    assert mailoutbox == []
