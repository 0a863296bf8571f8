"""The fixed cast used across the suite.

Organisation A ("Riverside") has a coordinator and group A with a facilitator
and a peer. Organisation B has its own coordinator and group B with a peer:
people in B are outsiders to everything in A, and the other way round.
"""

from types import SimpleNamespace

import pytest

from groups.models import Membership

from .factories import add_member, make_group, make_organisation, make_user


@pytest.fixture
def cast(db):
    coordinator = make_user("Cora Coordinator", "coordinator@a.test")
    facilitator = make_user("Fay Facilitator", "facilitator@a.test")
    peer = make_user("Pat Peer", "peer@a.test")
    other_coordinator = make_user("Otto Coordinator", "coordinator@b.test")
    other_peer = make_user("Olive Peer", "peer@b.test")
    org_a = make_organisation("Riverside", coordinators=[coordinator])
    org_b = make_organisation("Elsewhere", coordinators=[other_coordinator])
    group_a = make_group(org_a, "Group A")
    group_b = make_group(org_b, "Group B")
    add_member(group_a, facilitator, Membership.Role.FACILITATOR)
    add_member(group_a, peer)
    add_member(group_b, other_peer)
    return SimpleNamespace(
        coordinator=coordinator,
        facilitator=facilitator,
        peer=peer,
        other_coordinator=other_coordinator,
        other_peer=other_peer,
        org_a=org_a,
        org_b=org_b,
        group_a=group_a,
        group_b=group_b,
    )


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
