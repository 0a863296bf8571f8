"""Settings for the test suite: the real settings with fast hashing and plain static files."""

import os

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-" + "x" * 40)
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("HTTPS", "false")
os.environ.setdefault("EMAIL_HOST", "localhost")
# Production requires these named; the suite's SQLite database is in memory whatever the name.
os.environ.setdefault("DATABASE_URL", "sqlite:///db.sqlite3")
os.environ.setdefault("SITE_URL", "https://safespace.test")
os.environ.setdefault("DEFAULT_FROM_EMAIL", "SafeSpace <no-reply@safespace.test>")
# Nobody must use a second factor, so the suite signs people in with force_login as before;
# the second factor's own tests turn it on with override_settings(MFA_REQUIRED_FOR=...).
os.environ.setdefault("MFA_REQUIRED_FOR", "")

from .settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
# Tasks run at once, in the test's own thread (one PostgreSQL test runs a real worker).
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
# Serve static files straight from the apps, as in development, so that
# live_server pages get their CSS without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
