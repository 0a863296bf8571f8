"""`make drill`: SafeSpace run as an organisation would run it, then shaken.

Two gunicorn servers and a background worker on one PostgreSQL database, with a small
mail server of our own; a scripted mix of peers, facilitators and a coordinator spread
over both servers; PostgreSQL restarted a third of the way through. Afterwards every
write the app acknowledged is looked for in the database and every email queued is
counted at the mail server. It prints its figures and never fails on timing; it fails
(exit 1) if an acknowledged write is missing or an email went out twice or never.

Settings (environment): DRILL_DATABASE_URL (default the local server's safespace_drill,
dropped and made afresh), DRILL_PG_RESTART (the command that restarts PostgreSQL;
default `pg_ctlcluster <version> main restart`), DRILL_SECONDS (90), DRILL_GROUPS (8),
DRILL_PEERS (5 per group). Logs go to DRILL_LOGS (default /tmp/safespace-drill).
"""

import os
import random
import shlex
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from drill import servers  # noqa: E402
from drill.ledger import ACKED, DOUBT, Ledger  # noqa: E402
from drill.mailsink import Sink  # noqa: E402

PORTS = [8101, 8102]


def default_restart() -> str:
    version = sorted(os.listdir("/etc/postgresql"))[0] if os.path.isdir("/etc/postgresql") else "15"
    return f"pg_ctlcluster --skip-systemctl-redirect {version} main restart"


class Drill:
    def __init__(self):
        self.url = os.environ.get(
            "DRILL_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/safespace_drill"
        )
        self.restart_command = os.environ.get("DRILL_PG_RESTART") or default_restart()
        self.seconds = int(os.environ.get("DRILL_SECONDS", "90"))
        self.size = (
            int(os.environ.get("DRILL_GROUPS", "8")),
            int(os.environ.get("DRILL_PEERS", "5")),
        )
        logs = os.environ.get("DRILL_LOGS") or Path(tempfile.gettempdir()) / "safespace-drill"
        self.logs = Path(logs)
        self.ports, self.ledger, self.stopping = PORTS, Ledger(), threading.Event()
        self.seed = random.Random(20261206)  # noqa: S311 (a repeatable script, not secrets)
        self.health = []  # (seconds, port, status code or None)
        self.restart = {}

    def rng_for(self, seed: int) -> random.Random:
        return random.Random(self.seed.random() + seed)  # noqa: S311

    # --- setting up -------------------------------------------------------------------

    def prepare(self, env: dict):
        os.environ.update(env)
        import django

        django.setup()
        from django.core.management import call_command

        from drill.world import PASSWORD, build

        self.fresh_database()
        call_command("migrate", verbosity=0)
        call_command("collectstatic", verbosity=0, interactive=False)
        self.cast, self.password = build(*self.size), PASSWORD

    def fresh_database(self):
        import psycopg
        from django.conf import settings

        db = settings.DATABASES["default"]
        with psycopg.connect(
            host=db["HOST"],
            port=db["PORT"] or 5432,
            user=db["USER"],
            dbname="postgres",
            password=db["PASSWORD"] or None,
            autocommit=True,
        ) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{db["NAME"]}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{db["NAME"]}"')

    # --- running ----------------------------------------------------------------------

    def people(self):
        from drill.people import Coordinator, Facilitator, Peer

        cast, n = self.cast, 0
        crowd = [Coordinator(self, cast.coordinator, None, n)]
        for group in cast.groups:
            n += 1
            crowd.append(Facilitator(self, group["facilitator"], group, n))
            for email in group["peers"]:
                n += 1
                crowd.append(Peer(self, email, group, n))
        return crowd

    def watch_health(self):
        while not self.stopping.is_set():
            for port in self.ports:
                self.health.append((self.ledger.now(), port, servers.health(port)))
            time.sleep(0.25)

    def restart_postgresql(self):
        time.sleep(self.seconds / 3)
        began = self.ledger.now()
        command = shlex.split(self.restart_command)  # the operator's own setting
        done = subprocess.run(command, capture_output=True, check=False)  # noqa: S603
        self.restart = {"began": began, "ended": self.ledger.now(), "code": done.returncode}
        if done.returncode:
            print(f"Restarting PostgreSQL failed: {done.stderr.decode().strip()}")

    def run(self):
        crowd = self.people()
        threading.Thread(target=self.watch_health, daemon=True).start()
        restarter = threading.Thread(target=self.restart_postgresql, daemon=True)
        restarter.start()
        for person in crowd:
            person.start()
        time.sleep(self.seconds)
        self.stopping.set()
        restarter.join()
        for person in crowd:
            person.join(timeout=30)
        return len(crowd)

    def drain(self, seconds=120) -> float:
        """Wait for the worker to send what is queued; returns how long it took."""
        from django.db import close_old_connections
        from django_tasks_db.models import DBTaskResult

        close_old_connections()
        started = time.monotonic()
        while time.monotonic() - started < seconds:
            try:
                if not DBTaskResult.objects.ready().exists():
                    break
            except Exception:  # noqa: BLE001 (the database may still be coming back)
                close_old_connections()
            time.sleep(0.5)
        return time.monotonic() - started

    # --- figures ----------------------------------------------------------------------

    def recovery(self) -> dict:
        """Seconds after the restart began: when the database was seen gone and back
        (/healthz said 503, then 200 again), and when people's requests last failed."""
        began = self.restart.get("began")
        if began is None:
            return {}
        after = [h for h in self.health if h[0] >= began]
        gone = [h[0] for h in after if h[2] == 503]
        back = min(
            (h[0] for h in after if h[2] == 200 and h[0] > max(gone, default=began)), default=None
        )
        failed = [f[0] for f in self.ledger.failures if f[0] >= began]
        return {
            "the restart command took": self.restart["ended"] - began,
            "/healthz first said the database was gone": (min(gone) - began) if gone else None,
            "/healthz said ok again": None if back is None else back - began,
            "people's requests failed until": (max(failed) - began) if failed else None,
        }


def main():
    drill = Drill()
    drill.logs.mkdir(parents=True, exist_ok=True)
    sink = Sink().start()
    env = servers.environment(drill.url, sink.port)
    print(f"Building the drill's organisation in {drill.url.rsplit('/', 1)[-1]} ...")
    drill.prepare(env)
    webs = [servers.gunicorn(port, env, drill.logs) for port in PORTS]
    worker = servers.worker(env, drill.logs)
    try:
        up = servers.wait_until_healthy(PORTS)
        print(f"Two servers and a worker up in {up:.1f} s; {drill.seconds} s of people ...")
        crowd = drill.run()
        drained = drill.drain()
    finally:
        for process in (*webs, worker):
            process.stop()
    report(drill, sink, crowd, drained, webs, worker)


def report(drill, sink, crowd, drained, webs, worker):
    from drill import checks

    ledger = drill.ledger
    total = sum(n for kind, n in ledger.requests.items() if not kind.endswith("refused by the app"))
    print()
    print(f"## The drill: {crowd} people for {drill.seconds} s on two servers")
    print()
    print("| requests | count |")
    print("|---|---:|")
    for kind, n in sorted(ledger.requests.items()):
        print(f"| {kind} | {n} |")
    print(f"| **all requests** | **{total}** |")
    print()
    failures = ledger.failures
    times = sorted(ledger.times)
    if times:
        p50, p95 = times[len(times) // 2], times[int(0.95 * (len(times) - 1))]
        median, slow = 1000 * p50, 1000 * p95
        print(f"Answered requests took: median {median:.0f} ms, 95th percentile {slow:.0f} ms.")
    share = 100 * len(failures) / max(total, 1)
    print(f"Failed requests: {len(failures)} of {total} ({share:.2f} %), each one of these:")
    for (kind, what), n in sorted(Counter((f[1], f[2]) for f in failures).items()):
        print(f"- {kind}: {what} × {n}")
    figures = drill.recovery()
    if figures:
        print()
        print("PostgreSQL restart, seconds from its start:")
        for label, value in figures.items():
            print(f"- {label}: {'-' if value is None else f'{value:.1f} s'}")
    restarts = sum(p.restarts for p in webs) + worker.restarts
    print(f"- processes started again after exiting: {restarts}")
    print()
    problems = []
    print("| writes | acknowledged | in doubt | checked | missing |")
    print("|---|---:|---:|---:|---:|")
    for label, (what, check) in checks.WRITES.items():
        checked, missing = check(ledger, what)
        problems += missing
        acked = len(ledger.of(what, ACKED))
        doubt = len(ledger.of(what, DOUBT))
        if not acked:  # the script no longer fits the app's pages: it proved nothing
            problems.append(f"not one of the {label} was acknowledged")
        print(f"| {label} | {acked} | {doubt} | {checked} | {len(missing)} |")
    queued, received, email_problems, to_resend = checks.emails(sink, checks.queued_emails())
    problems += email_problems
    print()
    print(
        f"Emails: {queued} queued, {received} received by the mail server "
        f"(the last sent {drained:.1f} s after the people stopped); "
        f"{len(email_problems)} problems."
    )
    for email_id in to_resend:
        print(
            f"- email {email_id} reached the mail server as the database went away, before its"
            " row's deletion was committed: the outbox will offer it again, a second copy with"
            " the same Message-ID (the one case docs/deploy.md allows)"
        )
    print()
    if problems:
        print("PROBLEMS:")
        for problem in problems[:50]:
            print(f"- {problem}")
        sys.exit(1)
    once = "exactly once" if not to_resend else f"once ({len(to_resend)} to go out again, above)"
    print(f"Every acknowledged write is in the database; every email went out {once}.")


if __name__ == "__main__":
    main()
