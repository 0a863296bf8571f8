"""Ask members who have not answered their group's current rules to do so first.

On any group page (GET), a current member with no answer to the adopted version
is sent to read and answer it. No query of its own: the group the page reads anyway
(`get_group`) is read here, with that version's number, and kept for the view.
"""

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Subquery
from django.shortcuts import redirect

from groups.prepared import Prepared
from groups.selectors import groups_for_user
from groups.shortcuts import remember_group

from .models import Agreement, Version


def _with_unanswered(user, slug):
    viewer = get_user_model()(pk=user)
    unanswered = (
        Version.objects.adopted()
        .filter(group=OuterRef("pk"))
        .exclude(Exists(Agreement.objects.filter(version=OuterRef("pk"), user=viewer)))
        .values("number")[:1]
    )
    return groups_for_user(viewer).filter(slug=slug).annotate(unanswered=Subquery(unanswered))[:1]


_group_and_unanswered = Prepared(_with_unanswered, user=int, slug=str)

GATED_NAMESPACES = {"groups", "groundrules", "venues"}
EXEMPT_URL_NAMES = {"answer", "leave", "print", "handout", "help"}


class NewcomerMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        slug = view_kwargs.get("slug")
        if (
            request.method != "GET"
            or slug is None
            or not request.user.is_authenticated
            or match is None
            or match.namespace not in GATED_NAMESPACES
            or not match.route.startswith("groups/")
            or match.url_name in EXEMPT_URL_NAMES
        ):
            return None
        # The group the view is about to read, read here once with one more column: the
        # adopted version its viewer, if a current member, has not answered.
        group = _group_and_unanswered.first(user=request.user.pk, slug=slug)
        if group is None:
            return None
        remember_group(request, group)
        if group.viewer_role is None or group.archived_at is not None or group.unanswered is None:
            return None
        return redirect("groundrules:answer", slug=slug, number=group.unanswered)
