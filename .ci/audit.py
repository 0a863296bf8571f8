"""`make audit`: pip-audit against the lock files, said plainly.

pip-audit asks a vulnerability service about each pinned version. When the service
cannot answer for a package (no network, or a package index mirror without the
per-version API), pip-audit skips it and still says "No known vulnerabilities found".
This says how many were really checked. Exit 1 when a vulnerability is known; exit 0
otherwise, naming what could not be checked.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AUDIT = os.environ.get("PIP_AUDIT") or Path(sys.executable).parent / "pip-audit"


def audit(lock: str) -> tuple[list, list, list]:
    command = [str(AUDIT), "-r", lock, "--require-hashes", "--disable-pip", "--format", "json"]
    command += ["--vulnerability-service", os.environ.get("AUDIT_SERVICE", "pypi")]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)  # noqa: S603
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        sys.exit(f"pip-audit did not run: {done.stderr.strip()[-500:]}")
    checked = [d for d in report["dependencies"] if "skip_reason" not in d]
    skipped = [d for d in report["dependencies"] if "skip_reason" in d]
    found = [(d["name"], d["version"], v["id"]) for d in checked for v in d["vulns"]]
    return checked, skipped, found


def main():
    failed = False
    for lock in ("requirements.lock", "requirements-dev.lock"):
        checked, skipped, found = audit(lock)
        print(f"{lock}: {len(checked)} packages checked, {len(found)} known vulnerabilities.")
        for name, version, vuln in found:
            print(f"  {name} {version}: {vuln}")
        if skipped:
            print(
                f"  {len(skipped)} packages could not be checked: the vulnerability service "
                f"did not answer for them (e.g. {skipped[0]['skip_reason']})."
            )
        failed = failed or bool(found)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
