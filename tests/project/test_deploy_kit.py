"""The operator's kit stays true: .env.example loads as production settings, and the
systemd units run commands that exist."""

import re
from pathlib import Path

from django.core.management import get_commands

from tests.project.test_settings import run

ROOT = Path(__file__).resolve().parents[2]


def _example():
    pairs = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            pairs[name] = value
    return pairs


def test_the_example_environment_loads_as_production_settings():
    show = "import django; django.setup(); from django.conf import settings as s; print(s.DEBUG)"
    result = run(["-c", show], **_example())
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False"]


def test_the_scheduler_unit_runs_every_daily_job_and_only_real_ones():
    from safespace.accounts.management.commands.run_scheduled import DAILY

    unit = (ROOT / "deploy/systemd/safespace-scheduled.service").read_text()
    assert re.findall(r"manage\.py (\w+)", unit) == ["run_scheduled"]
    assert set(DAILY) <= set(get_commands())
    assert {
        "release_feedback",
        "send_review_reminders",
        "send_venue_reminders",
        "housekeeping",
    } <= set(DAILY)


def test_the_worker_unit_runs_the_queue_worker():
    unit = (ROOT / "deploy/systemd/safespace-worker.service").read_text()
    (command,) = re.findall(r"manage\.py (\w+)", unit)
    assert command == "db_worker" and command in get_commands()


def test_the_units_read_the_settings_from_one_file():
    for unit in (ROOT / "deploy/systemd").glob("*.service"):
        assert "EnvironmentFile=/etc/safespace/env" in unit.read_text(), unit.name


def _pins(name):
    return dict(
        re.findall(r"^([A-Za-z0-9_.-]+)==([^ \\\n]+)", (ROOT / name).read_text(), re.MULTILINE)
    )


def test_the_lock_files_pin_every_package_with_hashes_and_agree():
    run, dev = _pins("requirements.lock"), _pins("requirements-dev.lock")
    assert "Django" in run or "django" in run
    assert not {"pytest", "playwright", "ruff", "hypothesis"} & {k.lower() for k in run}
    assert {"pytest", "playwright", "ruff", "hypothesis"} <= {k.lower() for k in dev}
    # what runs the app is the same version in both
    assert {k: v for k, v in dev.items() if k in run} == run
    for name in ("requirements.lock", "requirements-dev.lock"):
        text = (ROOT / name).read_text()
        for block in re.split(r"\n(?=[A-Za-z0-9_.-]+==)", text.split("\n", 2)[2]):
            if "==" in block.splitlines()[0]:
                assert "--hash=sha256:" in block, block.splitlines()[0]


def test_the_kit_holds_a_proxy_example_and_a_backup_check():
    proxy = (ROOT / "deploy/nginx/safespace.conf").read_text()
    assert "X-Forwarded-For $proxy_add_x_forwarded_for" in proxy
    assert "access_log off" in proxy
    check = ROOT / "deploy/backup-restore-check.sh"
    assert check.stat().st_mode & 0o111  # executable
    assert "pg_restore" in check.read_text()
    assert "backup-restore-check.sh" in (ROOT / ".ci/run").read_text()


def test_the_example_environment_names_every_setting_the_app_reads():
    settings_py = (ROOT / "safespace/settings.py").read_text()
    read = set(re.findall(r'env_\w+\(\s*"([A-Z_]+)"', settings_py))
    example = (ROOT / ".env.example").read_text()
    named = set(re.findall(r"^#? ?([A-Z_]+)=", example, re.MULTILINE))
    assert read - named == set()
    assert named - read == set()
