"""Small builders for test data. Plain functions: no factory library needed."""

import itertools

from django.contrib.auth import get_user_model

from groups.models import Coordinator, Group, Membership, Organisation
from groups.services import new_group_slug

_seq = itertools.count(1)


def make_user(display_name=None, email=None, password="correct-horse-battery"):
    n = next(_seq)
    return get_user_model().objects.create_user(
        email or f"person{n}@example.test", password, display_name=display_name or f"Person {n}"
    )


def make_organisation(name=None, coordinators=()):
    n = next(_seq)
    org = Organisation.objects.create(name=name or f"Organisation {n}", slug=f"org-{n}")
    for user in coordinators:
        Coordinator.objects.create(organisation=org, user=user)
    return org


def make_group(organisation, name=None, **fields):
    n = next(_seq)
    fields.setdefault("format", Group.Format.IN_PERSON)
    return Group.objects.create(
        organisation=organisation, name=name or f"Group {n}", slug=new_group_slug(), **fields
    )


def add_member(group, user, role=Membership.Role.PEER):
    return Membership.objects.create(group=group, user=user, role=role)
