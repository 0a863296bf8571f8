"""Settings for `make bench`: the real settings on a scratch database."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-" + "x" * 40)
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("HTTPS", "false")
os.environ.setdefault("EMAIL_HOST", "localhost")
os.environ.setdefault("SITE_URL", "https://testserver")
os.environ.setdefault("DEFAULT_FROM_EMAIL", "bench@safespace.test")
# Its people sign in with a password alone, as in the demo (no second-factor set-up page).
os.environ.setdefault("MFA_REQUIRED_FOR", "")
_url = os.environ.get("BENCH_DATABASE_URL") or "sqlite:///" + str(
    Path(tempfile.gettempdir()) / "safespace-bench.sqlite3"
)
# With DEBUG off the real settings insist on a named database: this scratch one.
os.environ["DATABASE_URL"] = _url

from safespace.settings import *  # noqa: E402,F403

# The real settings' database options (SQLite's, or PostgreSQL's prepared statements), with
# connections kept for the whole run and no health check at each request's start.
DATABASES = {
    "default": {**DATABASES["default"], "CONN_MAX_AGE": 600, "CONN_HEALTH_CHECKS": False}  # noqa: F405
}
ROOT_URLCONF = "bench.urls"
# The organisation's size: `make bench` runs 500 and 5,000.
BENCH_GROUPS = int(os.environ.get("BENCH_GROUPS", "500"))
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
LOGGING = {"version": 1, "disable_existing_loggers": True}
