"""`make bench`: server time of the heavy pages at organisation scale.

Builds an organisation of BENCH_GROUPS groups (500 unless set; `make bench` runs 500
and 5,000) in a scratch database (SQLite file by default, or BENCH_DATABASE_URL),
works out its summary rows and months of trends, refreshes the planner's statistics,
then requests each page repeatedly through Django's test client and prints the number
of queries and the median and 95th-percentile time, and the median as a multiple of a
bare page rendering base.html (the floor), requested in turn with it. Figures only:
nothing here passes or fails.
"""

import os
import platform
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


def _timed(client, url) -> float:
    start = time.perf_counter()
    _body(client.get(url))
    return (time.perf_counter() - start) * 1000


def measure(client, url, repeat, floor_client, floor_url):
    """The page's query count, median and p95 time and size, and the median of the floor
    requested in turn with it (floor, page, floor, page…): a multiple of that floor is one
    of two things measured at the same moment, however the machine's speed wanders."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)  # also warms up templates and the connection
        size = len(_body(response))  # a streamed response does its work as it is read
    assert response.status_code == 200, (url, response.status_code)
    count = len(queries)  # now: the log is cleared by the next request
    times, floors = [], []
    for _ in range(repeat):
        floors.append(_timed(floor_client, floor_url))
        times.append(_timed(client, url))
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


def main():
    fresh_database()
    started = time.perf_counter()
    cast = build()
    built = time.perf_counter() - started
    # Fresh statistics for the query planner, as autovacuum keeps them on a live database.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    coordinator, facilitator, peer = Client(), Client(), Client()
    coordinator.force_login(cast["coordinator"])
    facilitator.force_login(cast["facilitator"])
    peer.force_login(cast["peer"])
    org, group = cast["organisation"].slug, cast["group"].slug
    section = start_check(facilitator, group)
    pages = [
        ("bare page (base.html, the floor)", coordinator, "/bench/floor/", 60),
        ("dashboard, first page of 50", coordinator, f"/organisations/{org}/dashboard/", 30),
        (
            "dashboard, filtered (needs attention, hybrid)",
            coordinator,
            f"/organisations/{org}/dashboard/?attention=on&format=hybrid",
            30,
        ),
        (
            f"dashboard CSV, all {settings.BENCH_GROUPS:,} groups",
            coordinator,
            f"/organisations/{org}/dashboard.csv",
            15,
        ),
        ("a group's safety page", coordinator, f"/groups/{group}/safety/", 30),
        ("facilitator home", facilitator, "/", 30),
        ("a peer's ground rules page", peer, f"/groups/{group}/rules/", 30),
        ("a peer's answer page (10 rules)", peer, f"/groups/{group}/rules/versions/2/answer/", 30),
        ("a venue check's section (10 questions)", facilitator, section, 30),
        ("trends (12 months)", coordinator, f"/organisations/{org}/trends/", 10),
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
    floor_url = pages[0][2]
    for label, client, url, repeat in pages:
        count, median, p95, size, floor = measure(client, url, repeat, coordinator, floor_url)
        print(
            f"| {label} | {count} | {median:.1f} | {p95:.1f} | {floor:.1f} | "
            f"{median / floor:.1f} | {size} |"
        )
    print()


if __name__ == "__main__":
    main()
