from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from .. import services
from ..audit_forms import AuditFilterForm
from ..forms import GroupForm, InviteCoordinatorForm
from ..limits import LimitReached
from ..selectors import (
    audit_trail,
    coordinators_of,
    groups_for_user,
    groups_of,
    groups_with_counts,
    pending_invitations,
)
from ..shortcuts import get_organisation


def organisation_detail(request, slug):
    organisation = get_organisation(request, slug)
    groups = groups_with_counts(
        groups_for_user(request.user).filter(organisation=organisation)
    ).order_by(F("archived_at").asc(nulls_first=True), "name")
    return render(
        request,
        "groups/organisation_detail.html",
        {
            "organisation": organisation,
            "active_groups": [g for g in groups if g.archived_at is None],
            "archived_groups": [g for g in groups if g.archived_at is not None],
        },
    )


def group_create(request, slug):
    organisation = get_organisation(request, slug)
    form = GroupForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        group = services.create_group(
            organisation=organisation, fields=form.group_fields(), needs=form.cleaned_data["needs"]
        )
        messages.success(request, _("The group has been created. Next, invite a facilitator."))
        return redirect("groups:invitations", slug=group.slug)
    return render(
        request,
        "groups/group_form.html",
        {
            "form": form,
            "organisation": organisation,
            "creating": True,
        },
    )


def coordinators(request, slug):
    organisation = get_organisation(request, slug)
    pending = pending_invitations(organisation=organisation)
    form = InviteCoordinatorForm(request.POST or None, pending_emails=[i.email for i in pending])
    if request.method == "POST" and form.is_valid():
        try:
            services.invite(
                organisation=organisation,
                group=None,
                role=form.invitation_role,
                email=form.cleaned_data["email"],
                invited_by=request.user,
                accept_url=lambda token: request.build_absolute_uri(
                    reverse("invitation_accept", args=[token])
                ),
            )
        except LimitReached as limit:
            form.add_error(None, limit.message)
        else:
            messages.success(request, _("Invitation sent."))
            return redirect("groups:coordinators", slug=organisation.slug)
    return render(
        request,
        "groups/coordinators.html",
        {
            "organisation": organisation,
            "coordinators": coordinators_of(organisation),
            "pending": pending,
            "form": form,
        },
    )


@require_POST
def coordinator_invitation_revoke(request, slug, invitation):
    organisation = get_organisation(request, slug)
    found = get_object_or_404(pending_invitations(organisation=organisation), uuid=invitation)
    services.revoke_invitation(found, by=request.user)
    messages.success(request, _("The invitation has been revoked. Its link no longer works."))
    return redirect("groups:coordinators", slug=organisation.slug)


AUDIT_PAGE_SIZE = 50


@require_safe
def audit(request, slug):
    """The organisation's audit trail, for its coordinators: read-only, filterable, in pages."""
    organisation = get_organisation(request, slug)
    form = AuditFilterForm(request.GET or None, groups=groups_of(organisation))
    events = audit_trail(organisation, **form.filters())
    page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "groups/audit.html",
        {
            "organisation": organisation,
            "form": form,
            "page": page,
            "query": params.urlencode(),
            "retention": settings.AUDIT_RETENTION_MONTHS,
        },
    )
