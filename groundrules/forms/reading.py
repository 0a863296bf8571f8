"""The form for comparing two versions of the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _


class CompareForm(forms.Form):
    older = forms.TypedChoiceField(label=_("Older version"), coerce=int)
    newer = forms.TypedChoiceField(label=_("Newer version"), coerce=int)

    def __init__(self, *args, versions, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(v.number, f"{v.number} – {v.get_status_display()}") for v in versions]
        self.fields["older"].choices = choices
        self.fields["newer"].choices = choices
