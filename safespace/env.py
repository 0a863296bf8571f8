"""Small typed readers for settings that come from environment variables.

Each raises ImproperlyConfigured on a value it cannot read, so a typo in a
deployment fails at start-up instead of silently falling back to a default.
"""

import os
import re
from datetime import timedelta

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return default if value is None else value.strip()


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        number = int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from exc
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {number}.")
    return number


def env_minutes(name: str, default: int) -> timedelta:
    """A whole number of minutes, at least one."""
    return timedelta(minutes=env_int(name, default, minimum=1))


def env_hours(name: str, default: int) -> timedelta:
    """A whole number of hours, at least one."""
    return timedelta(hours=env_int(name, default, minimum=1))


_URL_PATH = re.compile(r"(?:[A-Za-z0-9][A-Za-z0-9._~-]*/)+")


def env_url_path(name: str, default: str) -> str:
    """A path inside the site such as "admin/" or "backstage-7f3a/": one or more
    segments of letters, digits and . _ ~ -, each ending in "/", no leading "/"."""
    value = env_str(name, default)
    if not _URL_PATH.fullmatch(value):
        raise ImproperlyConfigured(
            f"{name} must look like 'admin/' (letters, digits, . _ ~ -, ending in /), "
            f"not {value!r}."
        )
    return value


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


def env_required(name: str) -> str:
    value = env_str(name)
    if not value:
        raise ImproperlyConfigured(f"{name} must be set when DEBUG is off.")
    return value
