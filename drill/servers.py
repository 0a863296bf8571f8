"""The processes of the drill: two gunicorn servers and a background worker, started as
an operator's systemd units start them (deploy/systemd/), with their output in log files."""

import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class Supervised:
    """A process kept running: started again five seconds after it stops (the units'
    Restart=always, RestartSec=5), until the drill ends."""

    def __init__(self, name: str, command: list, env: dict, logs: Path):
        self.name, self.command, self.env = name, command, env
        self.log = open(logs / f"{name}.log", "wb")  # noqa: SIM115 (open while it runs)
        self.process, self.restarts, self.stopping = None, 0, False
        self.thread = threading.Thread(target=self._keep, daemon=True)

    def start(self):
        self.process = self._spawn()
        self.thread.start()
        return self

    def _spawn(self):
        return subprocess.Popen(  # noqa: S603 (our own commands, no shell)
            self.command, cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT
        )

    def _keep(self):
        while not self.stopping:
            if self.process.poll() is not None and not self.stopping:
                time.sleep(5)
                if not self.stopping:
                    self.restarts += 1
                    self.process = self._spawn()
            time.sleep(0.2)

    def stop(self):
        self.stopping = True
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def gunicorn(port: int, env: dict, logs: Path) -> Supervised:
    command = [sys.executable, "-m", "gunicorn", "safespace.wsgi"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", "2", "--timeout", "30"]
    return Supervised(f"web-{port}", command, env, logs).start()


def worker(env: dict, logs: Path) -> Supervised:
    command = [sys.executable, "manage.py", "db_worker"]
    return Supervised("worker", command, env, logs).start()


def health(port: int, timeout=10) -> int | None:
    """/healthz's status code, or None when the server did not answer in time."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=timeout) as got:
            return got.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


def healthy(port: int) -> bool:
    return health(port, timeout=2) == 200


def wait_until_healthy(ports, seconds=60) -> float:
    started = time.monotonic()
    while not all(healthy(p) for p in ports):
        if time.monotonic() - started > seconds:
            raise SystemExit(f"The servers did not answer /healthz within {seconds} s.")
        time.sleep(0.2)
    return time.monotonic() - started


def environment(database_url: str, mail_port: int) -> dict:
    """The production settings (DEBUG off), pointed at the drill's database and mail
    server. Plain HTTP on 127.0.0.1 (no proxy in front), and no second factor so
    scripted people can sign in."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "safespace.settings",
        "DEBUG": "false",
        "SECRET_KEY": "drill-only-" + "k" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url,
        "SITE_URL": "https://drill.invalid",
        "DEFAULT_FROM_EMAIL": "SafeSpace drill <drill@drill.invalid>",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(mail_port),
        "EMAIL_USE_TLS": "false",
        "HTTPS": "false",
        "MFA_REQUIRED_FOR": "",
        "TASKS_IN_BACKGROUND": "true",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }
