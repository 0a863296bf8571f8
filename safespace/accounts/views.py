"""Account pages: the display name (passwords are Django's own views, see urls.py)."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .forms import DisplayNameForm, PasswordResetForm


def account(request):
    form = DisplayNameForm(
        request.POST or None, initial={"display_name": request.user.display_name}
    )
    if request.method == "POST" and form.is_valid():
        request.user.display_name = form.cleaned_data["display_name"]
        request.user.save(update_fields=["display_name", "updated"])
        messages.success(request, _("Your display name has been changed."))
        return redirect("account")
    return render(request, "accounts/account.html", {"form": form})


class PasswordResetView(auth_views.PasswordResetView):
    """Django's view, handing the request to the form so it can count per client."""

    form_class = PasswordResetForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.html"
    subject_template_name = "accounts/password_reset_subject.txt"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}
