from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.utils import timezone

from groups.helplines import DEFAULTS, EMERGENCY
from groups.models import Membership
from groups.selectors import help_lists_for

from ..home import build_home, concerns_waiting, coordinated


def home(request):
    organisations = coordinated(request.user)
    homes = build_home(request.user)
    # Only people who may read private messages are asked for them (no query for peers).
    leads = organisations or any(h.role == Membership.Role.FACILITATOR for h in homes)
    waiting = concerns_waiting(request.user) if leads else []
    if not homes and len(organisations) == 1 and not waiting:
        # A coordinator's home is their organisation's safety dashboard, unless a private
        # message is waiting for them: that comes first.
        return redirect("dashboard", slug=organisations[0].slug)
    return render(
        request,
        "dashboard/home.html",
        {
            "homes": homes,
            "organisations": organisations,
            "concerns_waiting": waiting,
            "today": timezone.localdate(),
        },
    )


@login_not_required
def get_help(request):
    """Public. A signed-in member also sees their organisations' and groups' own lists;
    the national services are always there, and stand in for an empty list."""
    return render(
        request,
        "dashboard/help.html",
        {
            "lists": help_lists_for(request.user),
            "emergency": EMERGENCY,
            "national": [h for h in DEFAULTS if h is not EMERGENCY],
        },
    )
