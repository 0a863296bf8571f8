from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from groups.selectors import organisations_for_user

from ..forms import DisplayNameForm
from ..home import build_home


def home(request):
    organisations = list(organisations_for_user(request.user))
    homes = build_home(request.user)
    if not homes and len(organisations) == 1:
        # A coordinator's home is their organisation's safety dashboard.
        return redirect("dashboard", slug=organisations[0].slug)
    return render(
        request,
        "safespace/home.html",
        {"homes": homes, "organisations": organisations, "today": timezone.localdate()},
    )


@login_not_required
def get_help(request):
    return render(request, "safespace/help.html")


def account(request):
    form = DisplayNameForm(
        request.POST or None, initial={"display_name": request.user.display_name}
    )
    if request.method == "POST" and form.is_valid():
        request.user.display_name = form.cleaned_data["display_name"]
        request.user.save(update_fields=["display_name", "updated"])
        messages.success(request, _("Your display name has been changed."))
        return redirect("account")
    return render(request, "safespace/account.html", {"form": form})
