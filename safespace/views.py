from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from groups.selectors import groups_for_user, groups_with_counts, organisations_for_user

from .forms import DisplayNameForm


def home(request):
    groups = groups_with_counts(groups_for_user(request.user)).filter(archived_at__isnull=True)
    return render(
        request,
        "safespace/home.html",
        {
            "groups": groups.order_by("organisation__name", "name"),
            "organisations": organisations_for_user(request.user),
        },
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
