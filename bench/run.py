"""`make bench`: server time of the heavy pages at organisation scale.

Builds an organisation of BENCH_GROUPS groups (500 unless set; `make bench` runs 500
and 5,000) in a scratch database (SQLite file by default, or BENCH_DATABASE_URL),
works out its summary rows and months of trends, vacuums as autovacuum would (`vacuum`),
then requests each page repeatedly through Django's test client and prints the number
of queries and the median and 95th-percentile time, and the median as a multiple of a
bare page rendering base.html (the floor), requested in turn with it. The two posts of
`make load`'s mix (a peer agreeing, a facilitator saving a check's section) are timed
the same way, without the page each redirects to. Figures only: nothing here passes or
fails.
"""

import os
import platform
import random
import re
import statistics
import sys
import time
from pathlib import Path

os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.build import build  # noqa: E402
from drill.web import forms  # noqa: E402


def vacuum():
    """What autovacuum does on a live database, done now: the planner's statistics, and
    on PostgreSQL the build's dead rows cleared and pages marked all-visible (index-only
    scans need them so)."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def fresh_database():
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        Path(db["NAME"]).unlink(missing_ok=True)
    else:
        import psycopg

        admin = psycopg.connect(
            host=db["HOST"],
            port=db["PORT"] or 5432,
            user=db["USER"],
            password=db["PASSWORD"] or None,
            dbname="postgres",
            autocommit=True,
        )
        admin.execute(f'DROP DATABASE IF EXISTS "{db["NAME"]}"')
        admin.execute(f'CREATE DATABASE "{db["NAME"]}"')
        admin.close()
    call_command("migrate", verbosity=0)


def _body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def _timed(ask) -> float:
    start = time.perf_counter()
    _body(ask())
    return (time.perf_counter() - start) * 1000


def measure(ask, repeat, floor, ready=None):
    """What `ask()` costs: its query count, median and p95 time and size, and the median
    of `floor()` requested in turn with it (floor, page, floor, page…): a multiple of that
    floor is one of two things measured at the same moment, however the machine's speed
    wanders. `ready()`, if given, runs untimed before each `ask()`."""
    ready = ready or (lambda: None)
    ready()
    with CaptureQueriesContext(connection) as queries:
        response = ask()  # also warms up templates and the connection
        size = len(_body(response))  # a streamed response does its work as it is read
    assert response.status_code in (200, 302), response.status_code
    count = len(queries)  # now: the log is cleared by the next request
    times, floors = [], []
    for _ in range(repeat):
        floors.append(_timed(floor))
        ready()
        times.append(_timed(ask))
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return count, statistics.median(times), p95, size, statistics.median(floors)


def start_check(client, group) -> str:
    """Start a check of the group's first venue, as its facilitator does: the address of
    the check's first section."""
    page = client.get(f"/groups/{group}/venues/").content.decode()
    venue = re.search(r"/venues/([0-9a-f-]{36})/assess/", page).group(1)
    started = client.post(f"/groups/{group}/venues/{venue}/assess/")
    check = re.search(r"/assessments/([0-9a-f-]{36})/", started["Location"]).group(1)
    return f"/groups/{group}/assessments/{check}/being_safe/"


def agreeing(client, group):
    """A peer saying again that they agree to version 2, as `make load`'s peers do: the
    post alone (a 302), not the rules page it sends them to."""
    url = f"/groups/{group}/rules/versions/2/answer/"
    digest = re.search(r'name="content_hash" value="([0-9a-f]+)"', client.get(url).text)
    data = {
        "answer": "agree",
        "comment": "",
        "visibility": "facilitators",
        "content_hash": digest.group(1),
    }
    return lambda: client.post(url, data)


def saving(client, section):
    """A facilitator saving new answers to a check's section, as `make load`'s do: the
    post alone (a 302), not the check's page it sends them to. `ready()` reads the form
    from the section, with the stamps of the answers as they now stand, and puts new
    answers over it: run before each post, outside the time measured."""
    question = re.compile(r"^q\d+$")
    seed = random.Random(1)  # noqa: S311 (which answer to give, not a secret)
    data = {}

    def ready():
        page = client.get(section).text
        form = next(f for f in forms(page) if any(question.match(n) for n in f.choices))
        data.clear()
        data.update(form.fields)
        for name, offered in form.choices.items():
            if question.match(name):
                data[name] = seed.choice(offered)

    return (lambda: client.post(section, data)), ready


def main():
    fresh_database()
    started = time.perf_counter()
    cast = build()
    built = time.perf_counter() - started
    # Fresh statistics for the query planner, and no rows left dead by the build, as
    # autovacuum keeps them on a live database (docs/benchmarks.md).
    vacuum()
    coordinator, facilitator, peer = Client(), Client(), Client()
    coordinator.force_login(cast["coordinator"])
    facilitator.force_login(cast["facilitator"])
    peer.force_login(cast["peer"])
    org, group = cast["organisation"].slug, cast["group"].slug
    section = start_check(facilitator, group)
    pages = [
        ("bare page (base.html, the floor)", coordinator, "/bench/floor/", 60),
        ("dashboard, first page of 50", coordinator, f"/organisations/{org}/dashboard/", 100),
        (
            "dashboard, filtered (needs attention, hybrid)",
            coordinator,
            f"/organisations/{org}/dashboard/?attention=on&format=hybrid",
            100,
        ),
        (
            f"dashboard CSV, all {settings.BENCH_GROUPS:,} groups",
            coordinator,
            f"/organisations/{org}/dashboard.csv",
            15,
        ),
        ("a group's safety page", coordinator, f"/groups/{group}/safety/", 100),
        ("facilitator home", facilitator, "/", 100),
        ("a peer's ground rules page", peer, f"/groups/{group}/rules/", 100),
        ("a peer's answer page (10 rules)", peer, f"/groups/{group}/rules/versions/2/answer/", 100),
        ("a venue check's section (10 questions)", facilitator, section, 100),
        ("trends (12 months)", coordinator, f"/organisations/{org}/trends/", 30),
    ]
    # Each thing measured: (label, ask, times, ready): pages, then the mix's two posts.
    measured = [
        (label, lambda c=client, u=url: c.get(u), repeat, None)
        for label, client, url, repeat in pages
    ]
    save, ready = saving(facilitator, section)
    measured += [
        ("a peer agreeing (the post, not its redirect)", agreeing(peer, group), 100, None),
        ("saving a check's section (the post, not its redirect)", save, 100, ready),
    ]
    vendor = connection.vendor
    with connection.cursor() as cursor:
        cursor.execute("select sqlite_version()" if vendor == "sqlite" else "show server_version")
        db_version = cursor.fetchone()[0]
    print(f"## {vendor} {db_version}, {settings.BENCH_GROUPS:,} groups")
    print()
    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, {platform.system()} "
        f"{platform.release()}; Python {platform.python_version()}, Django {django.__version__}."
        f" Data built in {built:.1f} s, of which every group's summary row and the"
        f" months of trends kept {cast['summaries_seconds']:.1f} s."
    )
    print()
    print("| page | queries | median ms | p95 ms | floor beside it, ms | median × floor | bytes |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    floor = measured[0][1]
    for label, ask, repeat, ready in measured:
        count, median, p95, size, beside = measure(ask, repeat, floor, ready)
        print(
            f"| {label} | {count} | {median:.1f} | {p95:.1f} | {beside:.1f} | "
            f"{median / beside:.1f} | {size} |"
        )
    print()


if __name__ == "__main__":
    main()
