"""Forms for setting up a group's ground rules and drafting them: the toolkit's questions,
starter rules, a rule, how often to review."""

from datetime import timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from groups.conflicts import StampedForm
from groups.dates import add_months
from groups.fields import bounded_formfield, today
from groups.models import Group

from ..models import Rule, Rulebook


class RulebookForm(StampedForm, forms.ModelForm):
    """The toolkit's questions about having ground rules. The answers are used: "not for
    now" is a decision with a date to look again; who writes them sets who upholds the
    rules and who may suggest; what happens if one is broken is offered for each new rule."""

    stamp_new = True
    upheld_by = forms.ChoiceField(
        label=_("Who will uphold the rules, and decide on suggestions?"),
        choices=Group.UpheldBy.choices,
        widget=forms.RadioSelect,
    )

    class Meta:
        formfield_callback = bounded_formfield
        model = Rulebook
        fields = [
            "want_rules",
            "advantages",
            "revisit_on",
            "note_for_group",
            "who_writes",
            "upheld_by",
            "suggestions_from",
            "how_shared",
            "if_broken",
            "time_out_space",
            "review_every_months",
        ]
        widgets = {
            "want_rules": forms.RadioSelect,
            "suggestions_from": forms.RadioSelect,
            "advantages": forms.Textarea(attrs={"rows": 3}),
            "note_for_group": forms.Textarea(attrs={"rows": 2}),
            "who_writes": forms.Textarea(attrs={"rows": 2}),
            "how_shared": forms.Textarea(attrs={"rows": 2}),
            "if_broken": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "revisit_on": _("Only if the answer is “No, not for now”."),
            "note_for_group": _("Only if the answer is “No, not for now”. Everyone can read it."),
            "how_shared": _(
                "For example: the print-out for the wall, the newcomer handout, or the session "
                "card read at the start of each meeting."
            ),
            "if_broken": _("This is offered as the response for each new rule. It can be changed."),
        }

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["want_rules"].required = True
        self.fields["want_rules"].choices = Rulebook.WantRules.choices
        self.fields["upheld_by"].initial = group.upheld_by
        self.fields["revisit_on"].set_range(
            earliest=lambda: today() + timedelta(days=1),
            latest=lambda: add_months(today(), 24),
        )
        if not self.instance.revisit_on:
            self.initial["revisit_on"] = add_months(today(), 6)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("want_rules") != Rulebook.WantRules.NO:
            cleaned["revisit_on"], cleaned["note_for_group"] = None, ""
        return cleaned


class ReviewIntervalForm(StampedForm, forms.ModelForm):
    stamp_new = True

    class Meta:
        formfield_callback = bounded_formfield
        model = Rulebook
        fields = ["review_every_months"]


class StarterForm(forms.Form):
    starters = forms.MultipleChoiceField(
        label=_("Starter rules to begin with"),
        choices=[],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Leave them all unticked to start from an empty page. You can change "
            "the words of every rule afterwards."
        ),
    )

    def __init__(self, *args, starters, **kwargs):
        """`starters`: those that fit the group (starters.starters_for)."""
        super().__init__(*args, **kwargs)
        self.fields["starters"].choices = [
            (key, text) for key, (_c, text, _w, _b) in starters.items()
        ]


class RuleForm(StampedForm, forms.ModelForm):
    class Meta:
        formfield_callback = bounded_formfield
        model = Rule
        fields = ["text", "why", "category", "if_broken"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3}),
            "why": forms.Textarea(attrs={"rows": 2}),
            "if_broken": forms.Textarea(attrs={"rows": 2}),
        }
