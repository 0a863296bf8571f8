"""Fetching the group or organisation a URL names, as the signed-in user may see it."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404

from .prepared import Prepared
from .selectors import groups_for_user, organisations_for_user

# Every group page reads its group this way: compiled once (prepared.py).
_visible_group = Prepared(
    lambda user, slug: groups_for_user(get_user_model()(pk=user)).filter(slug=slug)[:1],
    user=int,
    slug=str,
)


def get_group(request, slug, perm=None):
    """The group if the user may see it (else 404); 403 if they may see it but not `perm`.
    A group already read for this request by `remember_group` is not read again."""
    group = getattr(request, "_group_read", None)
    if group is None or group.slug != slug:
        if not request.user.is_authenticated:
            raise Http404
        group = _visible_group.first(user=request.user.pk, slug=slug)
        if group is None:
            raise Http404
    if perm and not request.user.has_perm(perm, group):
        raise PermissionDenied
    return group


def remember_group(request, group):
    """Keep a group read from `groups_for_user(request.user)` (with anything more it was
    annotated with) for `get_group` to use in this request."""
    request._group_read = group


_coordinated = Prepared(
    lambda user, slug: organisations_for_user(get_user_model()(pk=user)).filter(slug=slug)[:1],
    user=int,
    slug=str,
)


def get_organisation(request, slug):
    """Only coordinators see an organisation; everyone else gets 404."""
    if not request.user.is_authenticated:
        raise Http404
    organisation = _coordinated.first(user=request.user.pk, slug=slug)
    if organisation is None:
        raise Http404
    return organisation
