"""Settings for `make bench`: the real settings on a scratch database."""

import os
import tempfile
from pathlib import Path

import dj_database_url

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-" + "x" * 40)
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("HTTPS", "false")
os.environ.setdefault("EMAIL_HOST", "localhost")

from safespace.settings import *  # noqa: E402,F403

_url = os.environ.get("BENCH_DATABASE_URL") or "sqlite:///" + str(
    Path(tempfile.gettempdir()) / "safespace-bench.sqlite3"
)
DATABASES = {"default": dj_database_url.parse(_url, conn_max_age=600)}
ROOT_URLCONF = "bench.urls"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
LOGGING = {"version": 1, "disable_existing_loggers": True}
