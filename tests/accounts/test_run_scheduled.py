"""One entry point for scheduled work, safe on every server: each daily job runs once a
day, on whichever server claims it first; an unfinished claim is taken over after an hour."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from safespace.accounts.management.commands.run_scheduled import DAILY, claim
from safespace.accounts.models import ScheduledRun
from tests.concurrency import run_together


def _run() -> list[str]:
    out = io.StringIO()
    call_command("run_scheduled", stdout=out)
    return out.getvalue().splitlines()


def test_each_job_runs_once_a_day(db):
    first = _run()
    assert [line.split(":")[0] for line in first] == DAILY
    assert not any("already run today" in line for line in first)
    again = _run()
    assert all(line.endswith("already run today, or running elsewhere") for line in again)
    assert ScheduledRun.objects.filter(finished_at__isnull=False).count() == len(DAILY)


def test_a_run_that_never_finished_is_taken_over_after_an_hour(db):
    now = timezone.now()
    day = timezone.localdate(now)
    assert claim("housekeeping", day, now) is True
    assert claim("housekeeping", day, now + timedelta(minutes=59)) is False
    assert claim("housekeeping", day, now + timedelta(minutes=61)) is True
    # once taken over, the next server waits again
    assert claim("housekeeping", day, now + timedelta(minutes=62)) is False


def test_old_claims_are_forgotten(db):
    ScheduledRun.objects.create(job="housekeeping", day=timezone.localdate() - timedelta(days=31))
    _run()
    assert not ScheduledRun.objects.filter(day__lt=timezone.localdate()).exists()


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_servers_starting_together_run_each_job_once():
    results = run_together(one=_run, two=_run)
    assert [error for _value, error in results.values()] == [None, None]
    ran = [
        line.split(":")[0]
        for lines, _error in results.values()
        for line in lines
        if not line.endswith("already run today, or running elsewhere")
    ]
    assert sorted(ran) == sorted(DAILY)
