"""Filtering an organisation's audit trail (a GET form: nothing is saved)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .fields import EARLIEST, BoundedDateField, BoundedModelChoiceField, today
from .models import AuditEvent


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=_("What happened"),
        required=False,
        choices=[
            ("", _("Anything")),
            *(
                (value, label)
                for value, label in AuditEvent.Action.choices
                if value not in AuditEvent.PERSONAL
            ),
        ],
    )
    group = BoundedModelChoiceField(
        label=_("Group"),
        required=False,
        queryset=None,
        to_field_name="slug",
        empty_label=_("Any group, or none"),
    )
    since = BoundedDateField(label=_("From"), required=False, earliest=EARLIEST, latest=today)
    until = BoundedDateField(label=_("To"), required=False, earliest=EARLIEST, latest=today)

    def __init__(self, data=None, *, groups):
        super().__init__(data)
        self.fields["group"].queryset = groups

    def filters(self) -> dict:
        """The valid filters, as keyword arguments for groups.selectors.audit_trail."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        names = ("action", "group", "since", "until")
        return {name: data[name] for name in names if data.get(name)}
