"""What the drill's people did: every request, and every write the app acknowledged or
left in doubt (the request failed, so it may or may not have been committed)."""

import threading
import time
from collections import Counter
from dataclasses import dataclass, field

ACKED, DOUBT = "acknowledged", "in doubt"


@dataclass
class Ledger:
    started: float = field(default_factory=time.monotonic)
    requests: Counter = field(default_factory=Counter)  # kind: count
    failures: list = field(default_factory=list)  # (seconds, kind, what went wrong)
    writes: list = field(default_factory=list)  # (seconds, outcome, what, key, value)
    times: list = field(default_factory=list)  # seconds each answered request took
    lock: threading.Lock = field(default_factory=threading.Lock)

    def now(self) -> float:
        return time.monotonic() - self.started

    def request(self, kind: str):
        with self.lock:
            self.requests[kind] += 1

    def took(self, seconds: float):
        with self.lock:
            self.times.append(seconds)

    def failure(self, kind: str, what: str):
        with self.lock:
            self.failures.append((self.now(), kind, what))

    def write(self, outcome: str, what: str, key, value=None):
        with self.lock:
            self.writes.append((self.now(), outcome, what, key, value))

    def of(self, what: str, outcome: str | None = None) -> list:
        return [w for w in self.writes if w[2] == what and outcome in (None, w[1])]
