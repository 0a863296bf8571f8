"""The drill's people, each a thread with a browser: peers read and agree to their rules,
say how safe they feel and now and then send a private message; facilitators save venue
check answers one by one (as htmx does) and invite people; the coordinator reads the
dashboard, its CSV, the trends and a group's safety page. Every request goes to either
server, as a load balancer would send it."""

import http.client
import re
import threading
import time

from .ledger import ACKED, DOUBT
from .web import Browser, forms


class Person(threading.Thread):
    def __init__(self, drill, email: str, group: dict | None, seed: int):
        super().__init__(daemon=True)
        self.drill, self.email, self.group = drill, email, group
        self.rng = drill.rng_for(seed)
        self.browser = Browser("127.0.0.1", drill.ports[0])

    # --- requests ---------------------------------------------------------------------

    def go(self, kind: str, call, *args):
        """One request to a server picked at random; None when it failed (an error page
        or no answer at all), which the ledger records."""
        self.browser.use(self.rng.choice(self.drill.ports))
        ledger = self.drill.ledger
        ledger.request(kind)
        started = time.monotonic()
        try:
            response = call(*args)
        except (OSError, http.client.HTTPException) as error:
            ledger.failure(kind, type(error).__name__)
            return None
        ledger.took(time.monotonic() - started)
        if response.status >= 500:
            ledger.failure(kind, f"HTTP {response.status}")
            return None
        if response.status == 302 and "/accounts/login/" in response.location:
            ledger.failure(kind, "signed out")
            return None
        return response

    def read(self, kind: str, path: str):
        return self.go(kind, self.browser.get, path)

    def write(self, what: str, page_path: str, prepare) -> None:
        """Open the page, then post what `prepare(page)` makes of it: (key, value, send).
        The ledger records whether the app acknowledged the write, refused it, or left it
        in doubt (no answer, or a server error: it may or may not have been committed)."""
        page = self.read(f"{what}: the page", page_path)
        if page is None or page.status != 200:
            return  # nothing was posted
        key, value, send = prepare(page)
        ledger = self.drill.ledger
        ledger.request(what)
        started = time.monotonic()
        try:
            response = send()
        except (OSError, http.client.HTTPException) as error:
            ledger.failure(what, type(error).__name__)
            ledger.write(DOUBT, what, key, value)
            return
        ledger.took(time.monotonic() - started)
        if response.status >= 500:
            ledger.failure(what, f"HTTP {response.status}")
            ledger.write(DOUBT, what, key, value)
        elif self.acknowledged(what, response):
            ledger.write(ACKED, what, key, value)
        else:
            ledger.request(f"{what}: refused by the app")

    @staticmethod
    def acknowledged(what: str, response) -> bool:
        """How the app says it kept a write: the answer's X-Answer header (htmx), the
        feeling-safe thank-you page (rendered straight from the post, keeping nothing in
        a redirect), or a redirect after a form was accepted."""
        if what == "venue check answer":
            return response.headers.get("x-answer") == "saved"
        if what == "feeling safe":
            return response.status == 200 and "Thank you for telling us how" in response.text
        return response.status == 302

    def sign_in(self) -> bool:
        self.browser.use(self.rng.choice(self.drill.ports))
        self.drill.ledger.request("sign in")
        try:
            return self.browser.sign_in(self.email, self.drill.password)
        except (OSError, http.client.HTTPException) as error:
            self.drill.ledger.failure("sign in", type(error).__name__)
            return False

    def pause(self):
        """A person reads before the next click: half a second to three seconds."""
        time.sleep(self.rng.uniform(0.5, 3.0))

    def run(self):
        while not self.drill.stopping.is_set() and not self.sign_in():
            time.sleep(1)
        while not self.drill.stopping.is_set():
            self.step()
            self.pause()


class Peer(Person):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = ["agree", "feeling safe"] + (["message"] if self.rng.random() < 0.4 else [])
        self.rng.shuffle(self.plan)

    def step(self):
        g = self.group
        if self.plan and self.rng.random() < 0.3:
            what = self.plan.pop()
            if what == "agree":
                path = f"/groups/{g['slug']}/rules/versions/{g['version']}/answer/"
                self.write(what, path, self.agree(path))
            elif what == "feeling safe":
                path = f"/groups/{g['slug']}/venues/{g['venue']}/feeling-safe/"
                self.write(what, path, self.feel(path))
            else:
                self.write("message", f"/groups/{g['slug']}/tell-someone/", self.message)
            return
        path = self.rng.choice(["/", f"/groups/{g['slug']}/rules/", f"/groups/{g['slug']}/"])
        self.read("peer reads a page", path)

    def agree(self, path):
        def prepare(page):
            send = lambda: self.browser.submit(page, path, {"answer": "agree"})  # noqa: E731
            return (self.group["version_id"], self.email), "agree", send

        return prepare

    def feel(self, path):
        def prepare(page):
            form = next(f for f in forms(page.text) if not f.action)
            scores = {
                name: self.rng.choice(values)
                for name, values in form.choices.items()
                if values and all(v.isdigit() for v in values)
            }
            send = lambda: self.browser.submit(page, path, scores)  # noqa: E731
            return (self.group["slug"], self.email), None, send

        return prepare

    def message(self, page):
        token = f"drill-{self.rng.getrandbits(48):012x}"
        path = f"/groups/{self.group['slug']}/tell-someone/"
        form = next(f for f in forms(page.text) if f.action in ("", path))
        to = self.rng.choice(form.choices.get("to") or [""])
        values = {"to": to, "text": f"A message {token}."}
        send = lambda: self.browser.submit(page, path, values)  # noqa: E731
        return token, self.group["slug"], send


class Facilitator(Person):
    SECTION = re.compile(r'href="(/groups/[^"]+/assessments/[0-9a-f-]{36}/[a-z0-9_-]+/)"')
    NOT_SECTIONS = ("/print/", "/submit/", "/reopen/")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sections, self.saves, self.invited = [], 0, 0

    def step(self):
        g = self.group
        if not self.sections:
            path = f"/groups/{g['slug']}/assessments/{g['assessment']}/"
            page = self.read("facilitator opens the check", path)
            if page is not None and page.status == 200:
                found = set(self.SECTION.findall(page.text))
                self.sections = sorted(p for p in found if not p.endswith(self.NOT_SECTIONS))
            return
        roll = self.rng.random()
        if roll < 0.1 and self.invited < 12:
            self.invited += 1
            self.write("invitation", f"/groups/{g['slug']}/invitations/", self.invite)
        elif roll < 0.2:
            path = self.rng.choice(["/", f"/groups/{g['slug']}/safety/"])
            self.read("facilitator reads a page", path)
        else:
            self.write("venue check answer", self.rng.choice(self.sections), self.answer)

    def invite(self, page):
        email = f"invitee-{self.group['slug']}-{self.invited}@drill.test"
        path = f"/groups/{self.group['slug']}/invitations/"
        send = lambda: self.browser.submit(page, path, {"email": email, "role": "peer"})  # noqa: E731
        return email, None, send

    def answer(self, page):
        """One question of the section, answered and noted, posted as htmx posts it."""
        form = next(f for f in forms(page.text) if f.hx)
        url = self.rng.choice(sorted(form.hx))
        choice, note = form.hx[url][:2]
        self.saves += 1
        value = self.rng.choice(form.choices[choice])
        text = f"Saved by the drill, save {self.saves}."
        send = lambda: self.browser.hx_post(page, url, {choice: value, note: text})  # noqa: E731
        return url, (value, text), send


class Coordinator(Person):
    def step(self):
        org = self.drill.cast.org
        slug = self.rng.choice(self.drill.cast.groups)["slug"]
        kind, path = self.rng.choice(
            [
                ("dashboard", f"/organisations/{org}/dashboard/"),
                ("dashboard CSV", f"/organisations/{org}/dashboard.csv"),
                ("trends", f"/organisations/{org}/trends/"),
                ("a group's safety page", f"/groups/{slug}/safety/"),
            ]
        )
        self.read(kind, path)
