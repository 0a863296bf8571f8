"""Account pages: the display name (passwords are Django's own views, see urls.py)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .forms import DisplayNameForm
from .second_factor.views import security_context


def account(request):
    form = DisplayNameForm(
        request.POST or None, initial={"display_name": request.user.display_name}
    )
    if request.method == "POST" and form.is_valid():
        request.user.display_name = form.cleaned_data["display_name"]
        request.user.save(update_fields=["display_name", "updated"])
        messages.success(request, _("Your display name has been changed."))
        return redirect("account")
    return render(request, "accounts/account.html", {"form": form, **security_context(request)})
