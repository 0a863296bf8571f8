from django import forms
from django.utils.translation import gettext_lazy as _

from groups.fields import PlainTextField
from groups.models import Group

from .listing import SORTS
from .table import REASONS


class DashboardFilterForm(forms.Form):
    q = PlainTextField(label=_("Search by group name"), required=False, max_length=100)
    attention = forms.BooleanField(label=_("Only groups that need attention"), required=False)
    reason = forms.ChoiceField(
        label=_("Needing attention for"),
        required=False,
        choices=[("", _("Any reason")), *REASONS.items()],
    )
    format = forms.ChoiceField(
        label=_("Format"), required=False, choices=[("", _("Any format")), *Group.Format.choices]
    )
    facilitator = PlainTextField(
        label=_("Facilitator's name"),
        required=False,
        max_length=60,
        help_text=_("Groups with a facilitator whose display name contains this."),
    )
    sort = forms.ChoiceField(
        required=False, widget=forms.HiddenInput, choices=[(k, k) for k in SORTS]
    )
    order = forms.ChoiceField(
        required=False, widget=forms.HiddenInput, choices=[("asc", "asc"), ("desc", "desc")]
    )

    def value(self, name, default=None):
        """A filter's cleaned value. An invalid field is ignored; the valid ones still apply."""
        if not self.is_bound:
            return default
        self.is_valid()
        return self.cleaned_data.get(name) or default
