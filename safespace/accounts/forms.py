from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from groups import limits

from . import throttle


class SignInForm(AuthenticationForm):
    """Email and password, slowed and then locked after repeated failures."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "That email address and password do not match an account. Check them and try again."
        ),
        "throttled": _(
            "Too many attempts to sign in. Please wait %(wait)s and try again, "
            "or reset your password."
        ),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Email address")
        widget = self.fields["username"].widget
        # input_type, not attrs["type"]: the template writes the type from input_type.
        widget.input_type = "email"
        widget.attrs.update({"autocomplete": "email"})
        # No autofocus: it would carry keyboard and screen-reader users past the skip
        # link, the "Get help now" link and the page heading.
        widget.attrs.pop("autofocus", None)

    def clean(self):
        email = (self.data.get("username") or "").strip().lower()
        address = throttle.client_address(self.request)
        wait = throttle.wait_remaining(email, address)
        if wait is not None:
            seconds = max(1, int(wait.total_seconds()))
            if seconds >= 90:
                minutes = (seconds + 59) // 60
                text = ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
            else:
                text = ngettext("%(n)d second", "%(n)d seconds", seconds) % {"n": seconds}
            raise forms.ValidationError(
                self.error_messages["throttled"], code="throttled", params={"wait": text}
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            throttle.record_failure(email, address)
            raise
        throttle.record_success(email, address)
        return cleaned


class DisplayNameForm(forms.Form):
    display_name = forms.CharField(
        label=_("Display name"),
        max_length=60,
        help_text=_("How other members see you. It does not need to be your real name."),
    )

    def clean_display_name(self):
        name = self.cleaned_data["display_name"].strip()
        if not name:
            raise forms.ValidationError(_("Please choose a display name."))
        return name


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset form, with limits on how many emails an address (or a client) gets.

    Counted whether or not the address has an account, so the answer says nothing
    about who has one."""

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        try:
            limits.take(
                "password_reset", recipient=email, address=throttle.client_address(self.request)
            )
        except limits.LimitReached as limit:
            raise forms.ValidationError(limit.message, code="limit") from None
        return email
