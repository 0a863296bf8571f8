"""SafeSpace settings, read from environment variables.

DEBUG is off unless asked for. With DEBUG off, SECRET_KEY and ALLOWED_HOSTS
must be set: production fails closed rather than running with defaults.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from .env import (
    env_bool,
    env_hours,
    env_int,
    env_list,
    env_minutes,
    env_required,
    env_str,
    env_url_path,
)

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)

if DEBUG:
    SECRET_KEY = env_str("SECRET_KEY") or "insecure-development-key-only-for-debug-mode"
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
else:
    SECRET_KEY = env_required("SECRET_KEY")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        # Also when set but holding no host name (" , "): env_required would accept that.
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rules.apps.AutodiscoverRulesConfig",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",
    # The second factor: TOTP apps, recovery codes and passkeys (safespace/accounts/second_factor).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    # Background work: a queue in the database, worked by `manage.py db_worker`.
    "django_tasks_db",
    # Our apps, ground floor first: each depends only on those above it in this list.
    "groups",
    "groundrules",
    "venues",
    "safespace.accounts",
    "safespace.dashboard",
    "safespace.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Only GET, HEAD and POST reach the app: anything else is 405 here.
    "safespace.accounts.middleware.AllowedMethodsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Cache-Control: no-store on every response after this point (not on static files).
    "safespace.accounts.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # request.htmx: a venue check saves each answer as it is given (htmx, our origin).
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Idle and absolute session limits (after messages: it says why on the sign-in page).
    "safespace.accounts.middleware.SessionLimitsMiddleware",
    # After OTPMiddleware: someone signed in who owes a second factor reaches nothing else.
    "safespace.accounts.second_factor.middleware.SecondFactorMiddleware",
    "groundrules.middleware.NewcomerMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "safespace.urls"
WSGI_APPLICATION = "safespace.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # {% url %} remembering the addresses it has worked out (groups/url_tag.py).
            "builtins": ["groups.url_tag"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "groups.context_processors.quick_exit",
            ],
        },
    },
]

# In development an SQLite file beside the code; in production the database must be named:
# a missing DATABASE_URL never quietly becomes a file on one server's disk.
DATABASE_URL = (
    env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    if DEBUG
    else env_required("DATABASE_URL")
)
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers queue for the database (up to 20 seconds) instead of failing with
    # "database is locked": a transaction takes the write lock when it begins, not
    # when it first writes after reading (which SQLite cannot wait for). Deleted and
    # overwritten rows are zeroed on disk (secure_delete), so a deleted account's name and
    # address do not linger in the file's free pages.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA secure_delete = ON;",
        }
    )
elif env_bool("DATABASE_PREPARED_STATEMENTS", default=True):
    # PostgreSQL receives each query's values apart from its text (server-side binding),
    # and a statement that one connection has run five times is prepared there: planned
    # once, not on every request. Planning was most of the database's work for the small
    # lookups every page makes (docs/benchmarks.md). Turn it off behind a pooler that
    # cannot keep prepared statements (PgBouncer before 1.21, or without
    # max_prepared_statements).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"server_side_binding": True, "prepare_threshold": 5}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Each server process keeps the dashboard's rendered rows, summary and filter form, each
# under a digest of what it says (docs/dashboard.md): nothing in it can go stale, and
# nothing else is kept there. Room for a national network's rows (about 1 KB each);
# past that the least recently used third is dropped.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 10_000},
    }
}

AUTH_USER_MODEL = "groups.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    # Django's ModelBackend, loading with the person whether they need the quick exit.
    "groups.backends.UserBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 3  # three hours

# Sign-in throttling (safespace/accounts/throttle.py): an account is slowed after a few
# failures, then locked; a client address is only slowed, never for longer than its maximum.
SIGNIN_SLOW_AFTER = env_int("SIGNIN_SLOW_AFTER", 3, minimum=1)
SIGNIN_LOCK_AFTER = env_int("SIGNIN_LOCK_AFTER", 10, minimum=1)
SIGNIN_LOCK_MINUTES = env_int("SIGNIN_LOCK_MINUTES", 15, minimum=1)
SIGNIN_ADDRESS_MAX_WAIT_SECONDS = env_int("SIGNIN_ADDRESS_MAX_WAIT_SECONDS", 60, minimum=1)
# How many proxies in front of the app append to X-Forwarded-For (0: none; the header is
# then ignored and REMOTE_ADDR is the client).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)

# Where the admin site lives. Set your own (e.g. "backstage-7f3a/") in production.
ADMIN_PATH = env_url_path("ADMIN_PATH", "admin/")

# The second factor (safespace/accounts/second_factor). Who must use one: a comma list of
# "coordinators" (anyone who coordinates an organisation), "admins" (site admins) and
# "facilitators" (every facilitator; an organisation can also require it for the facilitators
# of its own groups). Empty: nobody must, though everyone may. `make run`'s demo empties it.
MFA_REQUIRED_FOR = [
    role.lower() for role in env_list("MFA_REQUIRED_FOR", ["coordinators", "admins"])
]
if unknown := set(MFA_REQUIRED_FOR) - {"coordinators", "admins", "facilitators"}:
    raise ImproperlyConfigured(
        "MFA_REQUIRED_FOR may name coordinators, admins and facilitators, "
        f"not {', '.join(sorted(unknown))}."
    )
OTP_TOTP_ISSUER = "SafeSpace"
# Wrong codes make the next try wait 1, 2, 4, 8… seconds (django-otp's throttling, per device).
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# The admin never shows an authenticator's secret or unused recovery codes.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Passkeys (django-otp-webauthn) are a second factor only, after the password.
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
OTP_WEBAUTHN_RP_NAME = "SafeSpace"
OTP_WEBAUTHN_HELPER_CLASS = "safespace.accounts.second_factor.passkeys.PasskeyHelper"
# The relying party ID (the domain passkeys are bound to): unset, the host name the browser
# used, which ALLOWED_HOSTS has already checked. The origins pages are served from: unset,
# https:// and each name in ALLOWED_HOSTS (in development, the address the browser used).
WEBAUTHN_RP_ID = env_str("WEBAUTHN_RP_ID", "")
WEBAUTHN_ORIGINS = env_list(
    "WEBAUTHN_ORIGINS",
    []
    if DEBUG
    else [f"https://{host}" for host in ALLOWED_HOSTS if not host.startswith(".") and host != "*"],
)
OTP_WEBAUTHN_RP_ID_CALLABLE = "safespace.accounts.second_factor.passkeys.relying_party_id"
OTP_WEBAUTHN_ALLOWED_ORIGINS = WEBAUTHN_ORIGINS
# In development django-otp-webauthn's check would want a fixed list of origins; PasskeyHelper
# takes the one the browser used instead.
SILENCED_SYSTEM_CHECKS = ["otp_webauthn.E030"] if DEBUG and not WEBAUTHN_ORIGINS else []

INVITATION_DAYS = env_int("INVITATION_DAYS", 14)

# Retention (enforced by `manage.py housekeeping`; the privacy page names each period). The
# organisation keeps its own periods for breach records and private messages (admin).
# The audit trail of privileged and sensitive actions is kept this many months.
AUDIT_RETENTION_MONTHS = env_int("AUDIT_RETENTION_MONTHS", 12, minimum=1)
# A link to download one's own data works once, for this many minutes.
DATA_DOWNLOAD_MINUTES = env_int("DATA_DOWNLOAD_MINUTES", 60, minimum=1)

# Where the quick exit button goes: a neutral page on another site (a whole-page
# navigation, never loaded by our pages). Must be an https:// address.
QUICK_EXIT_URL = env_str("QUICK_EXIT_URL", "https://www.bbc.co.uk/weather")
if not QUICK_EXIT_URL.startswith("https://") or any(c in QUICK_EXIT_URL for c in "\"'<> "):
    raise ImproperlyConfigured("QUICK_EXIT_URL must be an https:// address.")

# Background work (building a data download) goes on a queue in the database, worked by
# `manage.py db_worker` (deploy/systemd/safespace-worker.service). In development, unless
# TASKS_IN_BACKGROUND=true, each task runs at once, in the request, so the demo needs no
# worker.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend"
        if env_bool("TASKS_IN_BACKGROUND", default=not DEBUG)
        else "django.tasks.backends.immediate.ImmediateBackend"
    }
}

# /healthz answers 503 when a task has waited longer than this to be worked.
HEALTH_QUEUE_MAX_MINUTES = env_int("HEALTH_QUEUE_MAX_MINUTES", 10)

# The public address of the site, for links in emails sent by scheduled commands: required,
# and https://, in production.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000") if DEBUG else env_required("SITE_URL")
SITE_URL = SITE_URL.rstrip("/")
if not DEBUG and not SITE_URL.startswith("https://"):
    raise ImproperlyConfigured("SITE_URL must be an https:// address when DEBUG is off.")

# One language, British English, and no translation catalogues of our own: with translation
# off, each string marked for translation is used as written instead of being looked up in
# Django's en-GB catalogues (which change nothing), a tenth of a page's time. Dates and
# numbers still follow LANGUAGE_CODE's formats (day/month/year). A second language would
# turn it back on, with LocaleMiddleware and LOCALE_PATHS.
LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", _("English"))]
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Email: SMTP when EMAIL_HOST is set (required with DEBUG off); the console in development.
DEFAULT_FROM_EMAIL = (
    env_str("DEFAULT_FROM_EMAIL", "SafeSpace <no-reply@safespace.invalid>")
    if DEBUG
    else env_required("DEFAULT_FROM_EMAIL")
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_HOST = env_str("EMAIL_HOST", "") if DEBUG else env_required("EMAIL_HOST")
if EMAIL_HOST:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": EMAIL_HOST,
                "port": env_int("EMAIL_PORT", 587),
                "username": env_str("EMAIL_HOST_USER", ""),
                "password": env_str("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
                # A slow mail server gives up after this long instead of holding a worker.
                "timeout": env_int("EMAIL_TIMEOUT_SECONDS", 10),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
del EMAIL_HOST

# Security headers. No inline scripts or styles anywhere; everything is served
# from our own origin, so a page never talks to a third party.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Django's database sessions, read by a prepared query (safespace/accounts/sessions.py).
SESSION_ENGINE = "safespace.accounts.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Sessions (safespace/accounts/middleware.py): signed out after SESSION_IDLE_MINUTES without
# a request, and SESSION_MAX_HOURS after signing in, whatever happens. The cookie lasts only
# as long as the browser is open; the server keeps a session a day past its limit, only so
# the sign-in page can say why someone was signed out.
SESSION_IDLE_TIMEOUT = env_minutes("SESSION_IDLE_MINUTES", 30)
SESSION_MAX_AGE = env_hours("SESSION_MAX_HOURS", 12)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = int((SESSION_MAX_AGE + timedelta(days=1)).total_seconds())

# HTTPS is assumed unless DEBUG is on. Behind a proxy that terminates TLS, set
# SECURE_PROXY_SSL_HEADER=true so Django trusts X-Forwarded-Proto.
HTTPS = env_bool("HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
# A health check may come over plain HTTP from the proxy or a monitor on the host.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
# HSTS is rolled out in steps, because browsers remember it: an hour by default; raise
# SECURE_HSTS_SECONDS to a year once HTTPS works on every name, and only then consider
# SECURE_HSTS_INCLUDE_SUBDOMAINS and SECURE_HSTS_PRELOAD (preloading is hard to undo).
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS and env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = HTTPS and env_bool("SECURE_HSTS_PRELOAD", False)
# Django's deploy checks ask for both; here they are an operator's later, deliberate step.
SILENCED_SYSTEM_CHECKS = [
    *SILENCED_SYSTEM_CHECKS,
    *([] if SECURE_HSTS_INCLUDE_SUBDOMAINS else ["security.W005"]),
    *([] if SECURE_HSTS_PRELOAD else ["security.W021"]),
]
if env_bool("SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Logs carry no personal data: no emails, names or group names are logged by our
# code, and request logging is left to the front proxy.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_tokens": {"()": "safespace.logging.RedactInvitationTokens"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_tokens"]},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    # A line per task run is noise (and the worker says enough when asked with -v).
    "loggers": {"django.tasks": {"level": "WARNING"}, "django_tasks_db": {"level": "WARNING"}},
}
