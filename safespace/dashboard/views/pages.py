from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.utils import timezone

from groups.selectors import organisations_for_user

from ..home import build_home


def home(request):
    organisations = list(organisations_for_user(request.user))
    homes = build_home(request.user)
    if not homes and len(organisations) == 1:
        # A coordinator's home is their organisation's safety dashboard.
        return redirect("dashboard", slug=organisations[0].slug)
    return render(
        request,
        "dashboard/home.html",
        {"homes": homes, "organisations": organisations, "today": timezone.localdate()},
    )


@login_not_required
def get_help(request):
    return render(request, "dashboard/help.html")
