"""Settings fail closed, `check --deploy` is clean, and pages carry a strict CSP.

The settings are loaded in fresh Python processes with a controlled environment
(the test settings have already filled in this process's environment).
"""

import ast
import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "SECRET_KEY": "".join(
        secrets.choice(string.ascii_letters + string.digits + "!@#%^&*(-_=+)") for _ in range(60)
    ),
    "ALLOWED_HOSTS": "example.org",
    "EMAIL_HOST": "smtp.example.org",
    "DATABASE_URL": "postgres://safespace@db.example.org:5432/safespace",
    "SITE_URL": "https://example.org",
    "DEFAULT_FROM_EMAIL": "SafeSpace <no-reply@example.org>",
}

SHOW_SETTINGS = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.DEBUG, s.ALLOWED_HOSTS, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, "
    "s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0, s.MAILERS['default']['BACKEND'])"
)


def run(args, **env):
    """Run Python in the repository with only the given variables (plus PATH and HOME)."""
    clean = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "safespace.settings",
    }
    clean.update({k: v for k, v in env.items() if v is not None})
    for name, value in env.items():
        if value is None:
            clean.pop(name, None)
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def load_settings(**env):
    return run(["-c", SHOW_SETTINGS], **env)


def assert_refused(result, message):
    assert result.returncode != 0, result.stdout
    assert "django.core.exceptions.ImproperlyConfigured" in result.stderr, result.stderr
    assert message in result.stderr, result.stderr


def test_production_settings_load_with_everything_set():
    result = load_settings(**PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "False",
        "['example.org']",
        "True",
        "True",
        "True",
        "True",
        "django.core.mail.backends.smtp.EmailBackend",
    ]


@pytest.mark.parametrize("value", [None, "", "   "])
def test_missing_secret_key_is_refused(value):
    assert_refused(
        load_settings(**{**PRODUCTION, "SECRET_KEY": value}),
        "SECRET_KEY must be set when DEBUG is off.",
    )


@pytest.mark.parametrize("value", [None, "", " , "])
def test_missing_allowed_hosts_is_refused(value):
    assert_refused(
        load_settings(**{**PRODUCTION, "ALLOWED_HOSTS": value}),
        "ALLOWED_HOSTS must be set when DEBUG is off.",
    )


def test_missing_email_host_is_refused():
    assert_refused(
        load_settings(**{**PRODUCTION, "EMAIL_HOST": None}),
        "EMAIL_HOST must be set when DEBUG is off.",
    )


@pytest.mark.parametrize("name", ["DATABASE_URL", "SITE_URL", "DEFAULT_FROM_EMAIL"])
def test_production_names_its_database_address_and_sender(name):
    """No quiet fallback to an SQLite file, a localhost link or an address that can't work."""
    assert_refused(
        load_settings(**{**PRODUCTION, name: None}), f"{name} must be set when DEBUG is off."
    )


def test_links_in_emails_are_https_in_production():
    assert_refused(
        load_settings(**{**PRODUCTION, "SITE_URL": "http://example.org"}),
        "SITE_URL must be an https:// address when DEBUG is off.",
    )


def test_hsts_starts_short_and_is_raised_on_purpose():
    show = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD)"
    )
    assert run(["-c", show], **PRODUCTION).stdout.split() == ["3600", "False", "False"]
    raised = {
        **PRODUCTION,
        "SECURE_HSTS_SECONDS": "31536000",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
        "SECURE_HSTS_PRELOAD": "true",
    }
    assert run(["-c", show], **raised).stdout.split() == ["31536000", "True", "True"]


def test_a_slow_mail_server_is_given_up_on():
    show = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.MAILERS['default']['OPTIONS']['timeout'])"
    )
    assert run(["-c", show], **PRODUCTION).stdout.split() == ["10"]


def test_nothing_set_at_all_is_refused():
    assert_refused(load_settings(), "SECRET_KEY must be set when DEBUG is off.")


@pytest.mark.parametrize(
    "name, value, message",
    [
        ("DEBUG", "maybe", "DEBUG must be true or false, not 'maybe'."),
        ("DEBUG", "ture", "DEBUG must be true or false, not 'ture'."),
        ("HTTPS", "sometimes", "HTTPS must be true or false, not 'sometimes'."),
        (
            "SECURE_PROXY_SSL_HEADER",
            "y",
            "SECURE_PROXY_SSL_HEADER must be true or false, not 'y'.",
        ),
        ("SIGNIN_LOCK_AFTER", "ten", "SIGNIN_LOCK_AFTER must be a whole number, not 'ten'."),
        ("SIGNIN_LOCK_AFTER", "0", "SIGNIN_LOCK_AFTER must be at least 1, not 0."),
        ("TRUSTED_PROXY_COUNT", "-1", "TRUSTED_PROXY_COUNT must be at least 0, not -1."),
        ("TRUSTED_PROXY_COUNT", "one", "TRUSTED_PROXY_COUNT must be a whole number, not 'one'."),
        (
            "SIGNIN_ADDRESS_MAX_WAIT_SECONDS",
            "0",
            "SIGNIN_ADDRESS_MAX_WAIT_SECONDS must be at least 1, not 0.",
        ),
        ("SESSION_IDLE_MINUTES", "0", "SESSION_IDLE_MINUTES must be at least 1, not 0."),
        ("SESSION_IDLE_MINUTES", "30m", "SESSION_IDLE_MINUTES must be a whole number, not '30m'."),
        ("SESSION_MAX_HOURS", "-12", "SESSION_MAX_HOURS must be at least 1, not -12."),
        ("ADMIN_PATH", "/admin/", "ADMIN_PATH must look like 'admin/'"),
        ("ADMIN_PATH", "admin", "ADMIN_PATH must look like 'admin/'"),
        ("ADMIN_PATH", "", "ADMIN_PATH must look like 'admin/'"),
        ("ADMIN_PATH", "a/../b/", "ADMIN_PATH must look like 'admin/'"),
        ("ADMIN_PATH", "ad min/", "ADMIN_PATH must look like 'admin/'"),
    ],
)
def test_unreadable_values_are_refused(name, value, message):
    assert_refused(load_settings(**{**PRODUCTION, name: value}), message)


SHOW_SESSIONS_AND_ADMIN = (
    "import django; django.setup(); from django.conf import settings as s; "
    "from django.urls import reverse; "
    "print(s.SESSION_IDLE_TIMEOUT.total_seconds(), s.SESSION_MAX_AGE.total_seconds(), "
    "s.SESSION_EXPIRE_AT_BROWSER_CLOSE, s.TRUSTED_PROXY_COUNT, reverse('admin:login'))"
)


def test_session_limits_proxies_and_the_admin_path_come_from_the_environment():
    default = run(["-c", SHOW_SESSIONS_AND_ADMIN], **PRODUCTION)
    assert default.returncode == 0, default.stderr
    assert default.stdout.split() == ["1800.0", "43200.0", "True", "0", "/admin/login/"]

    chosen = run(
        ["-c", SHOW_SESSIONS_AND_ADMIN],
        **PRODUCTION,
        SESSION_IDLE_MINUTES="10",
        SESSION_MAX_HOURS="8",
        TRUSTED_PROXY_COUNT="1",
        ADMIN_PATH="backstage-7f3a/",
    )
    assert chosen.returncode == 0, chosen.stderr
    assert chosen.stdout.split() == ["600.0", "28800.0", "True", "1", "/backstage-7f3a/login/"]


SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA secure_delete = ON;",
}


PREPARED = {"server_side_binding": True, "prepare_threshold": 5}


@pytest.mark.parametrize(
    "url, prepared, options",
    [
        ("sqlite:////tmp/elsewhere.sqlite3", None, SQLITE_OPTIONS),
        # PostgreSQL plans a statement run often once; off for a pooler that cannot keep it.
        ("postgres://u:p@db.example.org:5432/safespace", None, PREPARED),
        ("postgres://u:p@db.example.org:5432/safespace", "true", PREPARED),
        ("postgres://u:p@db.example.org:5432/safespace", "false", {}),
        # Asking SQLite for prepared statements changes nothing there.
        ("sqlite:////tmp/elsewhere.sqlite3", "true", SQLITE_OPTIONS),
    ],
)
def test_each_database_gets_its_options(url, prepared, options):
    show = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(repr(s.DATABASES['default'].get('OPTIONS', {})))"
    )
    env = {**PRODUCTION, "DATABASE_URL": url, "DATABASE_PREPARED_STATEMENTS": prepared}
    result = run(["-c", show], **env)
    assert result.returncode == 0, result.stderr
    assert ast.literal_eval(result.stdout.strip()) == options


def test_debug_mode_runs_without_secrets_but_only_on_local_hosts():
    result = load_settings(DEBUG="true")
    assert result.returncode == 0, result.stderr
    parts = result.stdout.split()
    assert parts[0] == "True"
    assert "'127.0.0.1'" in result.stdout
    assert parts[-1] == "django.core.mail.backends.console.EmailBackend"


def test_check_deploy_is_clean_with_production_settings():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    # HSTS's subdomains and preload wait for the operator (settings.py says why).
    assert "System check identified no issues (2 silenced)." in output
    assert "WARNINGS" not in output
    assert "security." not in output


# Content Security Policy ----------------------------------------------------


@pytest.mark.parametrize("who", [None, "peer", "coordinator"])
def test_pages_carry_a_strict_content_security_policy(cast, client_for, who):
    client = client_for(getattr(cast, who) if who else None)
    urls = [reverse("help")]
    if who:
        urls += [reverse("home"), reverse("groups:detail", args=[cast.group_a.slug])]
    else:
        urls += [reverse("login"), reverse("password_reset")]
    for url in urls:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        policy = response["Content-Security-Policy"]
        directives = {
            part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()
        }
        assert directives["default-src"] == ["'self'"]
        assert directives["script-src"] == ["'self'"]
        assert directives["style-src"] == ["'self'"]
        assert directives["frame-ancestors"] == ["'none'"]
        assert directives["object-src"] == ["'none'"]
        assert "'unsafe-inline'" not in policy
        assert "'unsafe-eval'" not in policy
        assert "http" not in policy  # no third-party origins
        # And the page itself needs no inline script or style, which the policy would block.
        page = response.content.decode()
        assert "<script>" not in page
        assert " style=" not in page
        assert "<style" not in page
        assert response["X-Frame-Options"] == "DENY"
        assert response["Referrer-Policy"] == "same-origin"


def test_development_passes_the_system_checks():
    """`make run` starts: the development settings raise no system check error."""
    result = run(["manage.py", "check"], DEBUG="true")
    assert result.returncode == 0, result.stdout + result.stderr
