"""One housekeeping command runs every retention purge: each step deletes or forgets only
what is past its time, a second run finds nothing to do, and two servers running it at
the same moment (PostgreSQL) both finish cleanly with the same result."""

import io
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone

from groundrules.models import Breach
from groups import audit, services
from groups.models import AuditEvent, Concern, Invitation, OutgoingEmail, SendQuota
from safespace.accounts.downloads import make_download_link
from safespace.accounts.management.commands.housekeeping import STEPS
from safespace.accounts.models import DownloadLink, SignInThrottle
from tests.builders import LINK, build_cast, make_user
from tests.builders import breach as make_breach
from tests.concurrency import run_together

LONG_AGO = timedelta(days=800)


def _past(model, pk, **fields):
    model.objects.filter(pk=pk).update(**fields)


def _world():
    """Two of everything housekeeping looks after: one past its time, one not."""
    cast = build_cast()
    now = timezone.now()
    for age in (LONG_AGO, timedelta(0)):
        b = make_breach(cast.group_a, cast.facilitator, timezone.localdate())
        _past(Breach, b.pk, created=now - age)
        c = services.send_concern(
            group=cast.group_a, sender=cast.peer, to="facilitators", text="x", link=str
        )
        services.follow_up_concern(concern=c, by=cast.facilitator)
        _past(Concern, c.pk, followed_up_at=now - age)
        e = audit.record(AuditEvent.Action.DASHBOARD_CSV, organisation=cast.org_a)
        _past(AuditEvent, e.pk, created=now - age)
        i = services.invite(
            organisation=cast.org_a,
            group=cast.group_a,
            role="peer",
            email=f"someone{age.days}@example.test",
            invited_by=cast.facilitator,
            accept_url=lambda token: LINK + token,
        )
        _past(Invitation, i.pk, expires_at=now - age + timedelta(days=1))
        Session.objects.create(
            session_key=f"session{age.days:030d}"[:40],
            session_data="",
            expire_date=now - age + timedelta(days=1),
        )
        t = SignInThrottle.objects.create(key=f"key{age.days}", failures=1)
        _past(SignInThrottle, t.pk, updated=now - age)
        SendQuota.objects.create(key=f"q{age.days}", window_start=now - age)
        OutgoingEmail.objects.create(
            to="someone@example.test", subject="s", body="", failed_at=now - age - timedelta(days=6)
        )
    SendQuota.objects.exclude(key__startswith="q").delete()  # those the invitations made
    make_download_link(cast.peer)
    used = make_download_link(cast.peer)
    assert used
    _past(DownloadLink, DownloadLink.objects.order_by("pk").last().pk, used_at=now)
    return cast


def _state():
    return {
        "breaches": Breach.objects.count(),
        "messages": Concern.objects.count(),
        "audit": AuditEvent.objects.filter(action=AuditEvent.Action.DASHBOARD_CSV).count(),
        "addresses": Invitation.objects.exclude(email="").count(),
        "sessions": Session.objects.count(),
        "throttle": SignInThrottle.objects.count(),
        "quotas": SendQuota.objects.filter(key__startswith="q").count(),
        "links": DownloadLink.objects.count(),
        "failed emails": OutgoingEmail.objects.filter(failed_at__isnull=False).count(),
    }


def _run() -> list[str]:
    out = io.StringIO()
    call_command("housekeeping", stdout=out)
    return out.getvalue().splitlines()


def test_one_run_enforces_every_period_and_a_second_finds_nothing(db):
    _world()
    assert _state() == dict.fromkeys(_state(), 2)
    first = _run()
    assert _state() == dict.fromkeys(_state(), 1)  # only what was past its time went
    assert len(first) == len(STEPS) and all(not line.startswith("0 ") for line in first)
    second = _run()
    assert [line.split(" ", 1)[0] for line in second] == ["0"] * len(STEPS)
    assert _state() == dict.fromkeys(_state(), 1)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_servers_running_it_at_once_both_finish_with_the_same_result():
    _world()
    results = run_together(one=_run, two=_run)
    assert [error for _value, error in results.values()] == [None, None]
    assert _state() == dict.fromkeys(_state(), 1)
    # Between them, each thing past its time was purged once.
    one, two = (results[name][0] for name in ("one", "two"))
    for line_one, line_two in zip(one, two, strict=True):
        counts = int(line_one.split(" ", 1)[0]) + int(line_two.split(" ", 1)[0])
        assert counts == 1, (line_one, line_two)
    assert make_user()  # the database is still usable after both
