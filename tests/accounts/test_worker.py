"""A real background worker on PostgreSQL: a data download asked for and an email queued
in one process are built and sent by `manage.py db_worker` in another, once."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test import override_settings

from groups import notify
from groups.models import OutgoingEmail
from safespace.accounts.downloads import make_download_link
from safespace.accounts.models import DownloadLink
from tests.builders import make_user

ROOT = Path(__file__).resolve().parents[2]
QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _worker():
    """`manage.py db_worker --batch` against this test's database, in its own process."""
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "safespace.settings_test"}
    env["TASKS_IN_BACKGROUND"] = "true"
    script = (
        "import django; from django.conf import settings; django.setup(); "
        f"settings.TASKS = {QUEUE!r}; "
        "from django.core.management import call_command; "
        "call_command('db_worker', batch=True, startup_delay=False)"
    )
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_worker_in_another_process_builds_the_download_and_sends_the_email_once():
    fay = make_user("Fay Worker")
    with override_settings(TASKS=QUEUE):
        make_download_link(fay)
        notify.queue("Hello", "A queued email.", ["someone@example.test"])
    link = DownloadLink.objects.get()
    assert link.ready_at is None  # queued, not built in the request
    assert OutgoingEmail.objects.count() == 1  # queued, not sent in the request

    first = _worker()
    assert first.returncode == 0, first.stderr
    link.refresh_from_db()
    assert link.ready_at is not None and bytes(link.content)[:2] == b"PK"  # a zip
    assert not OutgoingEmail.objects.exists()  # sent (its mailer is the test suite's)
    built_at = link.ready_at

    second = _worker()  # nothing left to do: the file is not built again
    assert second.returncode == 0, second.stderr
    link.refresh_from_db()
    assert link.ready_at == built_at
