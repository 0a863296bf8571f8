"""`make load`: how the app holds up with many people at once, beside the bare page.

Builds the 500-group organisation of `make bench` in a scratch PostgreSQL database
(BENCH_DATABASE_URL, required), serves it with gunicorn on 127.0.0.1 (3 workers),
then runs Locust headless for a fixed time (LOAD_SECONDS, 30 by default) at 20 and 50
simulated people: asking only for the bare page (the floor), then for the mix of
bench/locustfile.py, in turn, LOAD_ROUNDS times (3 by default); each asks again as soon
as answered, or after a random pause of up to LOAD_PAUSE seconds if that is set. Prints
throughput (requests a second, and as a share of the bare page's in the same round),
p50/p95/p99 and failures, and where the machine's processor time went during the middle
third of each run: the app servers (gunicorn), the database (local PostgreSQL processes)
and Locust itself, for the round with the median share, and every round's share.
Figures only: nothing here passes or fails. Traffic goes to 127.0.0.1 and nowhere else.
"""

import csv
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psutil

os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
os.environ["BENCH_GROUPS"] = "500"
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

from bench.build import build  # noqa: E402
from bench.run import fresh_database, vacuum  # noqa: E402

HOST, PORT = "127.0.0.1", int(os.environ.get("LOAD_PORT", "8765"))
SECONDS = int(os.environ.get("LOAD_SECONDS", "30"))
# Runs of the bare page and the mix in turn, at each number of people: this machine's
# speed wanders from one minute to the next, so one pair of runs says little; the round
# with the median share is shown, with every round's share.
ROUNDS = int(os.environ.get("LOAD_ROUNDS", "3"))
PAUSE = float(os.environ.get("LOAD_PAUSE") or 0)  # read by the locustfile too
PEOPLE = (20, 50)
MIX = ["Peer", "Facilitator", "Coordinator"]


def serve():
    env = dict(os.environ, ALLOWED_HOSTS=HOST, DJANGO_SETTINGS_MODULE="bench.settings")
    server = subprocess.Popen(  # noqa: S603 (our own gunicorn, on the loopback address)
        [
            sys.executable,
            "-m",
            "gunicorn",
            "safespace.wsgi",
            "--bind",
            f"{HOST}:{PORT}",
            "--workers",
            "3",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(100):
        try:
            with urllib.request.urlopen(f"http://{HOST}:{PORT}/healthz", timeout=1):  # noqa: S310
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not answer on /healthz")


def _cpu_seconds(server) -> dict:
    """Processor seconds used so far by the app servers, the database and Locust."""
    used = {"app": 0.0, "database": 0.0, "locust": 0.0}
    app = psutil.Process(server.pid)
    servers = {app.pid} | {child.pid for child in app.children(recursive=True)}
    for proc in psutil.process_iter(["name", "cmdline"]):
        try:
            if proc.pid in servers:
                part = "app"
            elif proc.info["name"] and proc.info["name"].startswith("postgres"):
                part = "database"
            elif "locust" in " ".join(proc.info["cmdline"] or []):
                part = "locust"
            else:
                continue
            times = proc.cpu_times()
            used[part] += times.user + times.system
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return used


def _cores(server, seconds) -> dict:
    """Processor cores each part kept busy over `seconds` from now."""
    before, started = _cpu_seconds(server), time.monotonic()
    time.sleep(seconds)
    after, elapsed = _cpu_seconds(server), time.monotonic() - started
    return {part: (after[part] - before[part]) / elapsed for part in after}


def swarm(people, classes, folder, server) -> tuple:
    """One Locust run: its aggregated figures and each request's, and the cores each part
    of the machine kept busy in the middle third of the run."""
    prefix = Path(folder) / f"{'-'.join(classes)}-{people}"
    locust = subprocess.Popen(  # noqa: S603 (Locust against our own server on 127.0.0.1)
        [
            sys.executable,
            "-m",
            "locust",
            "-f",
            str(ROOT / "bench" / "locustfile.py"),
            "--headless",
            "--users",
            str(people),
            "--spawn-rate",
            str(people),
            "--run-time",
            f"{SECONDS}s",
            "--stop-timeout",
            "5",
            "--reset-stats",
            "--only-summary",
            "--loglevel",
            "WARNING",
            "--host",
            f"http://{HOST}:{PORT}",
            "--csv",
            str(prefix),
            *classes,
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    time.sleep(SECONDS / 3)
    cores = _cores(server, SECONDS / 3)
    locust.wait()
    with open(f"{prefix}_stats.csv", newline="") as f:
        rows = {row["Name"]: row for row in csv.DictReader(f)}
    return rows, cores


def _figures(row) -> tuple:
    return (
        float(row["Requests/s"]),
        row["50%"],
        row["95%"],
        row["99%"],
        int(row["Failure Count"]),
        int(row["Request Count"]),
    )


def _share(floor, mix) -> float:
    """The mix's throughput as a share of the bare page's, in the same round."""
    base = float(floor[0]["Aggregated"]["Requests/s"])
    return float(mix[0]["Aggregated"]["Requests/s"]) / base if base else 0.0


def main():
    assert connection.vendor == "postgresql", "make load runs on PostgreSQL: set BENCH_DATABASE_URL"
    fresh_database()
    build()
    vacuum()
    connection.close()
    server = serve()
    try:
        with tempfile.TemporaryDirectory() as folder:
            results, shares = {}, {}
            for people in PEOPLE:
                rounds = []
                for _ in range(ROUNDS):
                    floor = swarm(people, ["FloorUser"], folder, server)
                    mix = swarm(people, MIX, folder, server)
                    rounds.append((_share(floor, mix), floor, mix))
                rounds.sort(key=lambda r: r[0])
                shares[people] = [share for share, _floor, _mix in rounds]
                _median, floor, mix = rounds[len(rounds) // 2]
                results[people] = (floor, mix)
    finally:
        server.terminate()
        server.wait(timeout=30)

    print(f"## Load: gunicorn (3 workers) on PostgreSQL, {settings.BENCH_GROUPS} groups")
    print()
    if PAUSE > 0:
        print(
            f"Each run {SECONDS} s, every simulated person pausing a random time of up to "
            f"{PAUSE:g} s between requests (LOAD_PAUSE): throughput is then what the people "
            "ask for, and the share of the bare page's says little; the times say how long "
            "they wait."
        )
    else:
        print(f"Each run {SECONDS} s, every simulated person asking again as soon as answered.")
    print()
    print(
        f"{ROUNDS} round{'s' if ROUNDS != 1 else ''} of the bare page then the mix at each "
        "number of people (LOAD_ROUNDS); the round with the median share is shown. Shares in "
        "every round:"
    )
    print()
    for people, each in shares.items():
        print(f"- {people} people: " + ", ".join(f"{100 * share:.0f} %" for share in each))
    print()
    print(
        "| people | what | requests/s | share of bare page | p50 ms | p95 ms | p99 ms | failed "
        "| cores: app / database / Locust |"
    )
    print("|---:|---|---:|---:|---:|---:|---:|---:|---|")
    for people, ((floor, floor_cores), (mix, mix_cores)) in results.items():
        base = _figures(floor["Aggregated"])
        for label, row, cores in (
            ("bare page", floor["Aggregated"], floor_cores),
            ("the mix", mix["Aggregated"], mix_cores),
        ):
            rps, p50, p95, p99, failed, count = _figures(row)
            share = f"{100 * rps / base[0]:.0f} %" if base[0] else "–"
            busy = " / ".join(f"{cores[part]:.2f}" for part in ("app", "database", "locust"))
            print(
                f"| {people} | {label} | {rps:.0f} | {share} | {p50} | {p95} | {p99} | "
                f"{failed} of {count} | {busy} |"
            )
    print()
    for people, (_floor, (mix, _cores)) in results.items():
        print(f"The mix at {people} people, by request:")
        print()
        print("| request | requests/s | p50 ms | p95 ms | p99 ms | failed |")
        print("|---|---:|---:|---:|---:|---:|")
        for name, row in mix.items():
            if name == "Aggregated":
                continue
            rps, p50, p95, p99, failed, count = _figures(row)
            print(f"| {name} | {rps:.1f} | {p50} | {p95} | {p99} | {failed} of {count} |")
        print()


if __name__ == "__main__":
    main()
