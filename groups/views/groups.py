from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import services
from ..conflicts import EditConflict, conflict_page
from ..forms import GroupForm
from ..selectors import (
    current_memberships,
    facilitators_of,
    groups_for_user,
    groups_with_counts,
    organisations_for_user,
)
from ..shortcuts import get_group


def group_list(request):
    groups = groups_with_counts(groups_for_user(request.user)).filter(archived_at__isnull=True)
    return render(
        request,
        "groups/group_list.html",
        {
            "groups": groups.order_by("organisation__name", "name"),
            "organisations": organisations_for_user(request.user),
        },
    )


def group_detail(request, slug):
    group = get_group(request, slug)
    return render(
        request,
        "groups/group_detail.html",
        {
            "group": group,
            "needs": group.needs.all(),
            "facilitators": facilitators_of(group),
            "member_count": current_memberships(group).count(),
        },
    )


def group_edit(request, slug):
    group = get_group(request, slug, "groups.change_group")
    form = GroupForm(request.POST or None, instance=group, organisation=group.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_group(
                group=group,
                fields=form.group_fields(),
                needs=form.cleaned_data["needs"],
                base=form.cleaned_data.get("base"),
                by=request.user,
            )
        except EditConflict as conflict:
            return conflict_page(
                request,
                conflict,
                form=form,
                context={"group": group},
                back_url=reverse("groups:detail", args=[group.slug]),
            )
        messages.success(request, _("Your changes have been saved."))
        return redirect("groups:detail", slug=group.slug)
    return render(
        request,
        "groups/group_form.html",
        {
            "form": form,
            "group": group,
            "organisation": group.organisation,
        },
    )


def group_archive(request, slug):
    group = get_group(request, slug, "groups.archive_group")
    if request.method == "POST":
        services.archive_group(group)
        messages.success(
            request, _("The group has been archived. Nothing in it can be changed now.")
        )
        return redirect("groups:organisation", slug=group.organisation.slug)
    return render(request, "groups/group_archive.html", {"group": group})


@require_POST
def group_restore(request, slug):
    group = get_group(request, slug, "groups.archive_group")
    services.restore_group(group)
    messages.success(request, _("The group has been restored."))
    return redirect("groups:detail", slug=group.slug)
