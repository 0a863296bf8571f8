"""Forms for reviewing the rules and for logging a broken rule."""

from django import forms
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from groups.dates import add_months
from groups.fields import (
    BoundedDateField,
    BoundedIntegerField,
    PlainTextField,
    bounded_formfield,
    today,
)

from ..models import Breach, Review, ReviewItem


class ReviewForm(forms.Form):
    # Not in the future, and not before the rules it reviews were adopted (set in
    # __init__): a review of rules that were not yet the group's is not a review of them.
    held_on = BoundedDateField(
        label=_("Date of the review"),
        latest=today,
        help_text=_("Not before these rules were adopted, and not in the future."),
    )
    participants = BoundedIntegerField(
        label=_("How many people took part?"), min_value=1, max_value=500
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=Review.Outcome.choices, widget=forms.RadioSelect
    )
    notes = PlainTextField(
        label=_("Notes"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, version, rules, flagged=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held_on"].set_range(earliest=timezone.localdate(version.closed_at))
        self.rules = list(rules)
        flagged = set(flagged)
        for index, rule in enumerate(self.rules, start=1):
            hint = _(" A breach record said this rule isn't working.") if rule.pk in flagged else ""
            self.fields[f"rule_{rule.pk}_working"] = forms.ChoiceField(
                label=_("Rule %(n)d: “%(text)s” – is it working?")
                % {"n": index, "text": rule.text[:140]},
                choices=ReviewItem.Working.choices,
                widget=forms.RadioSelect,
                help_text=hint or None,
            )
            self.fields[f"rule_{rule.pk}_notes"] = PlainTextField(
                label=_("Notes on rule %(n)d") % {"n": index},
                max_length=300,
                required=False,
            )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("outcome") != Review.Outcome.NO_CHANGE:
            return cleaned
        # "The rules are working" cannot stand beside a rule the group says is not working,
        # unless the group notes why it keeps that rule as it is.
        unexplained = []
        for index, rule in enumerate(self.rules, start=1):
            working = cleaned.get(f"rule_{rule.pk}_working")
            notes = (cleaned.get(f"rule_{rule.pk}_notes") or "").strip()
            if working == ReviewItem.Working.NO and not notes:
                unexplained.append(str(index))
                self.add_error(
                    f"rule_{rule.pk}_notes",
                    _(
                        "You marked rule %(n)d as not working. Say why it stays as it is, "
                        "or choose “Revise” as the outcome."
                    )
                    % {"n": index},
                )
        if unexplained:
            self.add_error(
                "outcome",
                ngettext(
                    "“No change” means the rules are working, but rule %(list)s is marked as "
                    "not working. Note why it stays as it is, or choose “Revise”.",
                    "“No change” means the rules are working, but rules %(list)s are marked as "
                    "not working. Note why they stay as they are, or choose “Revise”.",
                    len(unexplained),
                )
                % {"list": ", ".join(unexplained)},
            )
        return cleaned

    def items(self):
        return {
            rule: (
                self.cleaned_data[f"rule_{rule.pk}_working"],
                self.cleaned_data[f"rule_{rule.pk}_notes"],
            )
            for rule in self.rules
        }


SOMETHING_ELSE = "else"


def agreed_responses(rules) -> dict:
    """Each distinct agreed response of `rules`, keyed by the first rule that has it, with
    the rules that share it: {key: (response, [rule, …])}."""
    found = {}
    for rule in rules:
        if rule.if_broken:
            found.setdefault(rule.if_broken, []).append(rule)
    return {str(same[0].pk): (response, same) for response, same in found.items()}


class BreachForm(forms.ModelForm):
    # The rules' agreed responses, offered as choices (set in __init__), with "something
    # else" beside them: what the group agreed is one tap, and anything else is said in words.
    response = forms.ChoiceField(
        label=_("What response was taken?"),
        choices=[],
        widget=forms.RadioSelect,
        required=False,
    )

    class Meta:
        formfield_callback = bounded_formfield
        model = Breach
        fields = [
            "occurred_on",
            "rules",
            "what_happened",
            "response",
            "response_taken",
            "follow_up",
            "not_working",
        ]
        widgets = {
            "rules": forms.CheckboxSelectMultiple,
            "what_happened": forms.Textarea(attrs={"rows": 2}),
            "response_taken": forms.Textarea(attrs={"rows": 2}),
            "follow_up": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {"response_taken": _("What was done, in a few words")}

    def __init__(self, *args, rules, keep_months, **kwargs):
        super().__init__(*args, **kwargs)
        # Not in the future, and not older than the organisation keeps breach records
        # (`keep_months`): such a record would be one the group has agreed not to keep.
        self.fields["occurred_on"].set_range(
            earliest=lambda: add_months(today(), -keep_months), latest=today
        )
        self.fields["occurred_on"].help_text = ngettext(
            "Not in the future, and within the last month: records are kept that long.",
            "Not in the future, and within the last %(n)d months: records are kept that long.",
            keep_months,
        ) % {"n": keep_months}
        self.fields["rules"].queryset = rules
        self.fields["rules"].label_from_instance = lambda r: r.text[:140]
        self.agreed = agreed_responses(rules)
        if not self.agreed:
            del self.fields["response"]
            self.fields["response_taken"].required = True
            self.fields["response_taken"].error_messages["required"] = _("Say what was done.")
            return
        self.fields["response"].choices = [
            *(
                (
                    key,
                    _("%(response)s (agreed for “%(rules)s”)")
                    % {
                        "response": response,
                        "rules": "”, “".join(Truncator(r.text).chars(50) for r in same),
                    },
                )
                for key, (response, same) in self.agreed.items()
            ),
            (SOMETHING_ELSE, _("Something else")),
        ]
        self.fields["response_taken"].help_text = _(
            "Needed if you chose “Something else”. With an agreed response, add anything that "
            "was done as well."
        )

    def clean(self):
        cleaned = super().clean()
        key = cleaned.get("response") or ""
        words = (cleaned.get("response_taken") or "").strip()
        agreed = self.agreed.get(key)
        if agreed is None and not words and "response_taken" not in self.errors:
            self.add_error("response_taken", _("Choose the agreed response, or say what was done."))
        if agreed is not None and "rules" in cleaned:
            response, same = agreed
            if not set(same) & set(cleaned["rules"]):
                self.add_error(
                    "response",
                    _(
                        "That is the agreed response to a rule you haven't ticked. Tick that "
                        "rule too, or choose “Something else”."
                    ),
                )
        cleaned["agreed_response"] = agreed[0] if agreed else ""
        return cleaned
