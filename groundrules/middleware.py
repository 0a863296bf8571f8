"""Ask members who have not answered their group's current rules to do so first.

On any group page (GET), a current member with no answer to the adopted version
is sent to read and answer it. One query, only on group pages.
"""

from django.db.models import Exists, OuterRef
from django.shortcuts import redirect

from groups.models import Membership

from .models import Agreement, Version

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
        user = request.user
        member = Membership.objects.current().filter(group=OuterRef("group"), user=user)
        number = (
            Version.objects.adopted()
            .filter(Exists(member), group__slug=slug, group__archived_at__isnull=True)
            .exclude(Exists(Agreement.objects.filter(version=OuterRef("pk"), user=user)))
            .values_list("number", flat=True)
            .first()
        )
        if number is None:
            return None
        return redirect("groundrules:answer", slug=slug, number=number)
