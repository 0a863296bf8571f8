"""Every email goes through the outbox and is sent by a background task: once, even when
the task runs twice; a failing or slow mail server never breaks a page, and is tried again
later, each time waiting longer; after the last try the email is kept without its words."""

import io
import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.core.management import call_command
from django.db import OperationalError
from django.tasks import task_backends
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from groups import notify
from groups.models import OutgoingEmail
from groups.tasks import RETRY_AFTER, deliver_email, forget_failed_emails
from tests.builders import make_user

DUMMY = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def queue_only():
    """Tasks are kept, not run: what was queued is in the returned list."""
    with override_settings(TASKS=DUMMY):
        yield task_backends["default"].results


def refusing(self, fail_silently=False):
    """A mail server that is down."""
    raise smtplib.SMTPServerDisconnected("down")


def test_one_email_per_address_is_queued_and_sent_once(db, queue_only):
    assert notify.queue("Hello", "Body", ["b@x.test", "a@x.test", "a@x.test", ""]) == 2
    queued = [r.args[0] for r in queue_only]
    assert len(queued) == 2 and OutgoingEmail.objects.count() == 2
    assert mail.outbox == []  # nothing is sent in the request

    for email_id in queued:
        assert deliver_email.call(email_id) == "sent"
        assert deliver_email.call(email_id) == "gone"  # run twice: sent once
    assert sorted(m.to[0] for m in mail.outbox) == ["a@x.test", "b@x.test"]
    assert not OutgoingEmail.objects.exists()  # nothing kept once sent


def test_an_email_is_never_kept_without_its_task(db, monkeypatch):
    """Sending mostly runs after a commit, outside any transaction: if the database goes
    away between writing the email and queueing its task, neither is kept."""

    class Unreachable:
        def enqueue(self, *args):
            raise OperationalError("the database went away")

    monkeypatch.setattr("groups.tasks.deliver_email", Unreachable())
    with pytest.raises(OperationalError):
        notify.queue("Hello", "Body", ["a@x.test", "b@x.test"])
    assert not OutgoingEmail.objects.exists()


def test_every_try_of_one_email_carries_the_same_message_id(db, queue_only, monkeypatch):
    """A copy sent again after a crash can be told from a new email by its Message-ID."""
    notify.queue("Hello", "Body", ["a@x.test", "b@x.test"])
    first, second = (r.args[0] for r in queue_only)
    sends = iter([refusing, EmailMessage.send])
    real_send = EmailMessage.send
    monkeypatch.setattr(EmailMessage, "send", lambda self, **kw: next(sends)(self, **kw))
    assert deliver_email.call(first) == "retry"
    assert deliver_email.call(first) == "sent"
    monkeypatch.setattr(EmailMessage, "send", real_send)
    assert deliver_email.call(second) == "sent"
    ids = [m.extra_headers["Message-ID"] for m in mail.outbox]
    assert ids == [f"<{first}@safespace.test>", f"<{second}@safespace.test>"]
    assert f"Message-ID: <{first}@safespace.test>" in mail.outbox[0].message().as_string()


def test_a_mail_server_that_is_down_is_tried_again_later_each_time_waiting_longer(
    db, queue_only, monkeypatch
):
    monkeypatch.setattr(EmailMessage, "send", refusing)
    notify.queue("Hello", "Body with a link", ["a@x.test"])
    email_id = queue_only[0].args[0]

    waits = []
    for attempt in range(len(RETRY_AFTER)):
        before = timezone.now()
        assert deliver_email.call(email_id) == "retry"
        retry = queue_only[-1]
        assert retry.args == [email_id]
        waits.append(retry.task.run_after - before)
    assert all(w >= expected for w, expected in zip(waits, RETRY_AFTER, strict=True))
    assert waits == sorted(waits)

    assert deliver_email.call(email_id) == "failed"
    given_up = OutgoingEmail.objects.get()
    assert (given_up.body, given_up.attempts) == ("", len(RETRY_AFTER) + 1)
    assert deliver_email.call(email_id) == "gone"
    assert mail.outbox == []


def test_a_failing_mail_server_never_breaks_a_page(
    cast, client_for, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(EmailMessage, "send", refusing)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(cast.facilitator).post(
            reverse("groups:invitations", args=[cast.group_a.slug]),
            {"email": "new.peer@example.test", "role": "peer"},
        )
    assert response.status_code == 302
    waiting = OutgoingEmail.objects.get()
    assert (waiting.to, waiting.attempts) == ("new.peer@example.test", 1)


def test_password_reset_emails_go_through_the_outbox(db, client, queue_only):
    make_user("Reset Me", "reset.me@example.test")
    client.post(reverse("password_reset"), {"email": "reset.me@example.test"})
    assert OutgoingEmail.objects.get().to == "reset.me@example.test"
    assert mail.outbox == []
    deliver_email.call(queue_only[0].args[0])
    assert mail.outbox[0].to == ["reset.me@example.test"]


def test_waiting_emails_are_offered_again_and_given_up_ones_forgotten(db, queue_only):
    notify.queue("Old", "Body", ["old@x.test"])
    notify.queue("New", "Body", ["new@x.test"])
    OutgoingEmail.objects.filter(to="old@x.test").update(
        updated=timezone.now() - timedelta(minutes=11)
    )
    queue_only.clear()
    call_command("send_waiting_emails", stdout=io.StringIO())
    (again,) = queue_only
    assert OutgoingEmail.objects.get(pk=again.args[0]).to == "old@x.test"

    OutgoingEmail.objects.filter(to="old@x.test").update(
        failed_at=timezone.now() - timedelta(days=8), body=""
    )
    assert forget_failed_emails() == 1
    assert list(OutgoingEmail.objects.values_list("to", flat=True)) == ["new@x.test"]
