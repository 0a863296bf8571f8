"""A group's safety page: the dashboard's facts for one group, in full."""

from django.shortcuts import render
from django.utils import timezone

from groups.shortcuts import get_group

from .. import table
from ..peers import who_counts


def safety_page(request, slug):
    group = get_group(request, slug, "dashboard.view_safety")
    coordinates = request.user.has_perm("dashboard.view_who_counts", group)
    # A facilitator is never told of concerns sent to the coordinators: they may be
    # about them.
    row = table.build_rows([group], concerns_to="coordinators" if coordinates else "facilitators")[
        0
    ]
    return render(
        request,
        "dashboard/safety.html",
        {
            "group": group,
            "row": row,
            "who_counts": who_counts(group) if coordinates else None,
            "today": timezone.localdate(),
        },
    )
