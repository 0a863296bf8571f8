"""The fixed cast used across the suite.

Organisation A ("Riverside") has a coordinator and group A with a facilitator
and a peer. Organisation B has its own coordinator and group B with a peer:
people in B are outsiders to everything in A, and the other way round.
"""

import pytest
from asgiref.local import Local
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.tasks import task_backends

from .builders import build_cast


@pytest.fixture
def cast(db):
    return build_cast()


@pytest.fixture
def client_for(client):
    """Sign the test client in as one of the cast (or nobody, for None)."""

    def sign_in(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return sign_in


def pytest_collection_modifyitems(config, items):
    """Skip `postgres_only` tests unless the suite runs on PostgreSQL (DATABASE_URL)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(
        reason=f"needs PostgreSQL (set DATABASE_URL=postgres://...); running on {connection.vendor}"
    )
    for item in items:
        if item.get_closest_marker("postgres_only"):
            item.add_marker(skip)


@receiver(setting_changed)
def _tasks_follow_the_setting(setting, **kwargs):
    """Django reads TASKS once; a test that changes it (override_settings, the settings
    fixture) gets backends made afresh from the new value, and the old ones back after."""
    if setting == "TASKS":
        task_backends.__dict__.pop("settings", None)
        task_backends._settings = None
        task_backends._connections = Local(task_backends.thread_critical)
