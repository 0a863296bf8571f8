from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from .. import services
from ..models import Membership
from ..selectors import current_memberships, groups_only_facilitated_by, sent_concerns
from ..shortcuts import get_group


def member_list(request, slug):
    group = get_group(request, slug, "groups.view_members")
    return render(
        request,
        "groups/member_list.html",
        {
            "group": group,
            "memberships": current_memberships(group),
            "may_manage": request.user.has_perm("groups.manage_members", group),
            "may_remove_facilitators": request.user.has_perm("groups.remove_facilitator", group),
        },
    )


def member_remove(request, slug, membership):
    group = get_group(request, slug, "groups.manage_members")
    target = get_object_or_404(current_memberships(group), uuid=membership)
    if target.user_id == request.user.pk:
        messages.info(request, _("To leave the group yourself, use “Leave this group”."))
        return redirect("groups:leave", slug=group.slug)
    if target.role == Membership.Role.FACILITATOR and not request.user.has_perm(
        "groups.remove_facilitator", group
    ):
        raise PermissionDenied
    if request.method == "POST":
        services.end_membership(target, ending=Membership.Ending.REMOVED, by=request.user)
        messages.success(
            request, _("%(name)s is no longer a member.") % {"name": target.user.display_name}
        )
        return redirect("groups:members", slug=group.slug)
    return render(request, "groups/member_remove.html", {"group": group, "target": target})


def group_leave(request, slug):
    group = get_group(request, slug, "groups.leave_group")
    own = get_object_or_404(current_memberships(group), user=request.user)
    if request.method == "POST":
        services.end_membership(own, ending=Membership.Ending.LEFT)
        messages.success(request, _("You have left the group."))
        return redirect("home")
    return render(
        request,
        "groups/group_leave.html",
        {
            "group": group,
            "own": own,
            "only_facilitator": groups_only_facilitated_by(request.user)
            .filter(pk=group.pk)
            .exists(),
            "open_messages": sent_concerns(group, request.user).open().count(),
        },
    )
