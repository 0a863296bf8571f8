"""Fetching the group or organisation a URL names, as the signed-in user may see it."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from .selectors import groups_for_user, organisations_for_user


def get_group(request, slug, perm=None):
    """The group if the user may see it (else 404); 403 if they may see it but not `perm`.
    A group already read for this request by `remember_group` is not read again."""
    group = getattr(request, "_group_read", None)
    if group is None or group.slug != slug:
        group = get_object_or_404(groups_for_user(request.user), slug=slug)
    if perm and not request.user.has_perm(perm, group):
        raise PermissionDenied
    return group


def remember_group(request, group):
    """Keep a group read from `groups_for_user(request.user)` (with anything more it was
    annotated with) for `get_group` to use in this request."""
    request._group_read = group


def get_organisation(request, slug):
    """Only coordinators see an organisation; everyone else gets 404."""
    return get_object_or_404(organisations_for_user(request.user), slug=slug)
