from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    """One box for a code: from an authenticator app, or a recovery code."""

    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_(
            "The 6-digit code your authenticator app shows now, or one of your recovery codes."
        ),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "none",
                "spellcheck": "false",
                "class": "code-input",
            }
        ),
    )

    def __init__(self, *args, label=None, help_text=None, **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["code"].label = label
        if help_text:
            self.fields["code"].help_text = help_text

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not code:
            raise forms.ValidationError(_("Please enter a code."))
        return code


class AppCodeForm(CodeForm):
    """The code that confirms a newly added authenticator app."""

    def __init__(self, *args, **kwargs):
        super().__init__(
            *args,
            label=_("6-digit code from the app"),
            help_text=_("The app shows a new code every 30 seconds. Any current one will do."),
            **kwargs,
        )
        self.fields["code"].widget.attrs["inputmode"] = "numeric"
