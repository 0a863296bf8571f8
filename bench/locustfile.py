"""`make load`'s people, for Locust (run by bench/load.py against 127.0.0.1 only).

The organisation is bench/build.py's: group i is `bench{i:05d}`, its members are
person{12 i}…person{12 i + 11}@bench.test (the first its facilitator), every group's
rules are at version 2. Each simulated person signs in once, then works without
pausing, so the figures are what the server can do; with LOAD_PAUSE (seconds) each pauses
a random time up to that between requests, as people reading a page do.

- Peers (most people) read their group's rules and say they agree to them.
- Facilitators save answers to a venue check in progress.
- Coordinators read the dashboard (now and then filtered, or the next page) and
  sometimes download the CSV or look at the trends.
- FloorUser only asks for the bare page (base.html), for the floor to compare with.
"""

import itertools
import os
import random
import re
import sys
import time
from pathlib import Path

from locust import FastHttpUser, between, constant, task

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from drill.web import forms  # noqa: E402 (the drill's form reader, from the project's root)

PASSWORD = "bench-password"
GROUPS = 500
MEMBERS = 12
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_QUESTION = re.compile(r"^q\d+$")
_seats = itertools.count()
PAUSE = float(os.environ.get("LOAD_PAUSE") or 0)


def csrf(response) -> str:
    found = _CSRF.search(response.text)
    return found.group(1) if found else ""


class Person(FastHttpUser):
    abstract = True
    wait_time = between(0, PAUSE) if PAUSE > 0 else constant(0)
    email = ""

    def on_start(self):
        if PAUSE > 0:
            # People who pause do not all arrive in the same second either.
            time.sleep(random.uniform(0, PAUSE))  # noqa: S311 (gevent's sleep under Locust)
        page = self.client.get("/accounts/login/", name="sign in (form)")
        self.client.post(
            "/accounts/login/",
            {"csrfmiddlewaretoken": csrf(page), "username": self.email, "password": PASSWORD},
            name="sign in",
        )


class Peer(Person):
    weight = 8

    def on_start(self):
        seat = next(_seats)
        self.group_number = seat % GROUPS
        self.email = f"person{self.group_number * MEMBERS + 1 + seat % (MEMBERS - 1)}@bench.test"
        super().on_start()
        self.slug = f"bench{self.group_number:05d}"

    @task(3)
    def read_rules(self):
        self.client.get(f"/groups/{self.slug}/rules/", name="peer: ground rules")

    @task(1)
    def agree(self):
        url = f"/groups/{self.slug}/rules/versions/2/answer/"
        page = self.client.get(url, name="peer: answer page")
        digest = re.search(r'name="content_hash" value="([0-9a-f]+)"', page.text)
        self.client.post(
            url,
            {
                "csrfmiddlewaretoken": csrf(page),
                "answer": "agree",
                "comment": "",
                "visibility": "facilitators",
                "content_hash": digest.group(1) if digest else "",
            },
            name="peer: agree",
        )


class Facilitator(Person):
    weight = 3

    def on_start(self):
        self.group_number = next(_seats) % GROUPS
        self.email = f"person{self.group_number * MEMBERS}@bench.test"
        super().on_start()
        self.slug = f"bench{self.group_number:05d}"
        self.section = None

    def _start_check(self):
        page = self.client.get(f"/groups/{self.slug}/venues/", name="facilitator: venues")
        venue = re.search(r"/venues/([0-9a-f-]{36})/assess/", page.text)
        if venue is None:
            return
        started = self.client.post(
            f"/groups/{self.slug}/venues/{venue.group(1)}/assess/",
            {"csrfmiddlewaretoken": csrf(page)},
            name="facilitator: start a check",
        )
        check = re.search(r"/assessments/([0-9a-f-]{36})/", started.url or "")
        if check:
            self.section = f"/groups/{self.slug}/assessments/{check.group(1)}/being_safe/"

    @task
    def save_answers(self):
        if self.section is None:
            self._start_check()
            if self.section is None:
                return
        page = self.client.get(self.section, name="facilitator: check section")
        # As a browser would: post what the section's form holds (its CSRF token, and the
        # stamp of each answer the page showed), with new answers put over it.
        form = next(
            (f for f in forms(page.text) if any(_QUESTION.match(n) for n in f.choices)), None
        )
        if form is None:
            return
        data = dict(form.fields)
        for name, offered in form.choices.items():
            if _QUESTION.match(name):
                data[name] = random.choice(offered)  # noqa: S311
        self.client.post(self.section, data, name="facilitator: save answers")


class Coordinator(Person):
    weight = 1
    email = "coordinator@bench.test"
    dashboard = "/organisations/bench/dashboard/"

    @task(6)
    def dashboard_page(self):
        self.client.get(self.dashboard, name="coordinator: dashboard")

    @task(2)
    def filtered(self):
        self.client.get(
            self.dashboard + "?attention=on&format=hybrid", name="coordinator: dashboard, filtered"
        )

    @task(1)
    def next_page(self):
        self.client.get(self.dashboard + "?page=2", name="coordinator: dashboard, page 2")

    @task(1)
    def csv(self):
        self.client.get("/organisations/bench/dashboard.csv", name="coordinator: CSV")

    @task(1)
    def trends(self):
        self.client.get("/organisations/bench/trends/", name="coordinator: trends")


class FloorUser(Person):
    email = "person1@bench.test"

    @task
    def floor(self):
        self.client.get("/bench/floor/", name="bare page")
