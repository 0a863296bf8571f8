"""`make audit` (.ci/audit.py) fails on a known vulnerability and says plainly what it
could not check, instead of pip-audit's "No known vulnerabilities found" for a run that
skipped every package."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _audit(tmp_path, dependencies):
    fake = tmp_path / "pip-audit"
    fake.write_text(
        f"#!{sys.executable}\nprint({json.dumps(json.dumps({'dependencies': dependencies}))})\n"
    )
    fake.chmod(0o755)
    return subprocess.run(
        [sys.executable, ".ci/audit.py"],
        cwd=ROOT,
        env={**os.environ, "PIP_AUDIT": str(fake)},
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_known_vulnerability_fails_the_audit_and_is_named(tmp_path):
    done = _audit(
        tmp_path,
        [
            {"name": "django", "version": "6.1.3", "vulns": [{"id": "PYSEC-2026-1"}]},
            {"name": "segno", "version": "1.6", "vulns": []},
        ],
    )
    assert done.returncode == 1
    assert "requirements.lock: 2 packages checked, 1 known vulnerabilities." in done.stdout
    assert "django 6.1.3: PYSEC-2026-1" in done.stdout


def test_packages_the_service_could_not_answer_for_are_counted_not_hidden(tmp_path):
    done = _audit(
        tmp_path,
        [
            {"name": "segno", "version": "1.6", "vulns": []},
            {"name": "django", "skip_reason": "Dependency not found on PyPI"},
        ],
    )
    assert done.returncode == 0
    assert "requirements.lock: 1 packages checked, 0 known vulnerabilities." in done.stdout
    assert "1 packages could not be checked" in done.stdout
