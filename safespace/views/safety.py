"""A group's safety page: the dashboard's facts for one group, in full."""

from django.shortcuts import render
from django.utils import timezone

from groups.models import Group
from groups.views.common import get_group

from .. import dashboard


def safety_page(request, slug):
    group = get_group(request, slug, "safespace.view_safety")
    row = dashboard.build_rows(Group.objects.filter(pk=group.pk))[0]
    return render(
        request,
        "safespace/safety.html",
        {
            "group": group,
            "row": row,
            "today": timezone.localdate(),
        },
    )
