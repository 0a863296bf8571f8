"""Account pages: the display name, and signing out everywhere else (passwords are
Django's own views, see urls.py)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from groups.selectors import groups_only_facilitated_by, organisations_only_coordinated_by

from . import own_data
from .downloads import PREPARING, SPENT, make_download_link, use_download_link
from .erasure import SuccessorNeeded, erase_account
from .forms import DeleteAccountForm, DisplayNameForm, DownloadForm, PasswordResetForm
from .second_factor import selectors as factor_selectors
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
    return render(
        request,
        "accounts/account.html",
        {"form": form, "session_limits": _session_limits(), **security_context(request)},
    )


def _session_limits() -> str:
    minutes = int(settings.SESSION_IDLE_TIMEOUT.total_seconds() // 60)
    hours = int(settings.SESSION_MAX_AGE.total_seconds() // 3600)
    idle = ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
    most = ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}
    return _(
        "SafeSpace signs you out after %(idle)s without use, and always %(most)s "
        "after you signed in."
    ) % {"idle": idle, "most": most}


@require_POST
def sign_out_everywhere(request):
    """End every other session of this person; this one stays signed in."""
    request.user.rotate_session_token()
    update_session_auth_hash(request, request.user)  # this session, with a new key
    messages.success(
        request,
        _(
            "You have been signed out on every other device and browser. "
            "You are still signed in here."
        ),
    )
    return redirect("account")


def delete_account(request):
    """Say what goes and what stays, then delete the account on the password (and a code,
    for someone with an authenticator app or recovery codes). Someone who is the only
    coordinator of an organisation is told to hand it on first."""
    user = request.user
    alone = list(organisations_only_coordinated_by(user))
    needs_code = (
        factor_selectors.apps_of(user).exists() or factor_selectors.recovery_codes_left(user) > 0
    )
    form = DeleteAccountForm(
        request.POST or None, user=user, request=request, needs_code=needs_code
    )
    if request.method == "POST" and not alone and form.is_valid():
        try:
            erase_account(user)
        except SuccessorNeeded as refused:
            alone = refused.organisations
        else:
            logout(request)
            messages.success(
                request,
                _(
                    "Your account has been deleted. Your name and email address are no longer "
                    "held by SafeSpace."
                ),
            )
            return redirect("login")
    return render(
        request,
        "accounts/delete_account.html",
        {"form": form, "alone": alone, "sole_groups": list(groups_only_facilitated_by(user))},
    )


def own_data_page(request):
    """What a download holds and what it does not; a POST makes a single-use link and
    shows it (on this answer only: its token is stored nowhere but as a hash)."""
    token = make_download_link(request.user) if request.method == "POST" else None
    return render(
        request,
        "accounts/own_data.html",
        {
            "form": DownloadForm(initial={"token": token}) if token else None,
            "minutes": settings.DATA_DOWNLOAD_MINUTES,
            "not_included": own_data.NOT_INCLUDED,
        },
    )


@require_POST
def own_data_download(request):
    """The zip, once per link, while the link lasts."""
    form = DownloadForm(request.POST)
    found = (
        use_download_link(request.user, form.cleaned_data["token"]) if form.is_valid() else SPENT
    )
    if isinstance(found, bytes):
        response = HttpResponse(found, content_type="application/zip")
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="safespace-data-{stamp}.zip"'
        return response
    preparing = found == PREPARING
    return render(
        request,
        "accounts/own_data.html",
        {
            # Still being built: the same button again, to try in a moment.
            "form": form if preparing else None,
            "preparing": preparing,
            "spent": not preparing,
            "minutes": settings.DATA_DOWNLOAD_MINUTES,
            "not_included": own_data.NOT_INCLUDED,
        },
    )


class PasswordResetView(auth_views.PasswordResetView):
    """Django's view, handing the request to the form so it can count per client."""

    form_class = PasswordResetForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.html"
    subject_template_name = "accounts/password_reset_subject.txt"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}
