import math

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm
from django.core import validators
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.debug import sensitive_variables

from groups import limits, notify
from groups.fields import PlainTextField
from groups.models import normalise_email

from . import throttle
from .second_factor import services as factor_services


def _wait_in_words(wait) -> str:
    seconds = max(1, math.ceil(wait.total_seconds()))
    if seconds >= 90:
        minutes = (seconds + 59) // 60
        return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
    return ngettext("%(n)d second", "%(n)d seconds", seconds) % {"n": seconds}


class ThrottledSignInMixin:
    """Every password sign-in goes through the throttle (safespace/accounts/throttle.py).

    Mixed into the site's sign-in form and the admin's, so both doors share one
    count per account. The attempt is taken before the password is checked, on
    exactly the address authentication will look up (the username field's
    NFKC-normalised value; the throttle and the user manager then normalise it
    the same way). A post that does not reach authentication (no address or no
    password: the fields say what is missing) counts for nothing either way;
    only a user returned by authentication counts as success.
    """

    throttled_message = _(
        "Too many attempts to sign in. Please wait %(wait)s and try again, or reset your password."
    )

    # A password longer than this is refused before it is hashed: a megabyte of password
    # would make every Argon2 check slow.
    PASSWORD_MAX_LENGTH = 1024

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        password = self.fields["password"]
        password.max_length = self.PASSWORD_MAX_LENGTH
        password.validators.append(validators.MaxLengthValidator(self.PASSWORD_MAX_LENGTH))

    @sensitive_variables("password")
    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is None or not password:
            return super().clean()  # authenticates nobody: the field errors stand
        try:
            attempt = throttle.take_attempt(username, throttle.client_address(self.request))
        except throttle.Throttled as refused:
            raise forms.ValidationError(
                self.throttled_message,
                code="throttled",
                params={"wait": _wait_in_words(refused.wait)},
            ) from None
        try:
            return super().clean()
        except forms.ValidationError:
            throttle.note_failure(username)
            raise
        finally:
            if self.user_cache is not None:
                attempt.succeeded()


class SignInForm(ThrottledSignInMixin, AuthenticationForm):
    """Email and password, slowed and then locked after repeated failures."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "That email address and password do not match an account. Check them and try again."
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


class AdminSignInForm(ThrottledSignInMixin, AdminAuthenticationForm):
    """The admin site's sign-in (set on admin.site.login_form in admin.py): the same
    throttle, so the admin's door is not a way round the site's."""


class DisplayNameForm(forms.Form):
    display_name = PlainTextField(
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

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        """Through the outbox, like every email: sent by a background task."""
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        notify.queue(subject, render_to_string(email_template_name, context), [to_email])

    def clean_email(self):
        email = normalise_email(self.cleaned_data["email"])
        try:
            limits.take(
                "password_reset", recipient=email, address=throttle.client_address(self.request)
            )
        except limits.LimitReached as limit:
            raise forms.ValidationError(limit.message, code="limit") from None
        return email


class DeleteAccountForm(forms.Form):
    """Deleting one's own account: the password, and a code when the person has an
    authenticator app or recovery codes. Wrong passwords count towards the sign-in
    throttle, so this form is no way round it."""

    password = forms.CharField(
        label=_("Your password"),
        max_length=ThrottledSignInMixin.PASSWORD_MAX_LENGTH,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = PlainTextField(
        label=_("Code from your authenticator app, or a recovery code"),
        max_length=32,
        required=False,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )

    def __init__(self, *args, user, request, needs_code: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.request, self.needs_code = user, request, needs_code
        if needs_code:
            self.fields["code"].required = True
        else:
            del self.fields["code"]

    @sensitive_variables("password")
    def clean(self):
        password = self.cleaned_data.get("password")
        if not password:
            return self.cleaned_data
        try:
            attempt = throttle.take_attempt(self.user.email, throttle.client_address(self.request))
        except throttle.Throttled as refused:
            raise forms.ValidationError(
                ThrottledSignInMixin.throttled_message,
                code="throttled",
                params={"wait": _wait_in_words(refused.wait)},
            ) from None
        if not self.user.check_password(password):
            throttle.note_failure(self.user.email)
            raise forms.ValidationError(
                _("That is not your password. Please try again."), code="password"
            )
        attempt.succeeded()
        if self.needs_code and self.cleaned_data.get("code"):
            checked = factor_services.verify_code(self.user, self.cleaned_data["code"])
            if not checked.ok:
                self.add_error("code", _("That code did not work. Please try another."))
        return self.cleaned_data


class DownloadForm(forms.Form):
    """The token of a download link, sent back by the page that made it (never in a URL,
    so it reaches no log or browser history)."""

    token = PlainTextField(max_length=100, widget=forms.HiddenInput)
