"""Forms for suggestions to change the rules, their comments and the decision on them."""

from django import forms
from django.utils.translation import gettext_lazy as _

from groups.fields import BoundedModelChoiceField, PlainTextField, bounded_formfield

from ..models import RULE_PARTS, SHORT_LIMIT, TEXT_LIMIT, Proposal, Rule


def _lines(value) -> str:
    return (value or "").replace("\r\n", "\n").strip()


class ProposalForm(forms.ModelForm):
    target = BoundedModelChoiceField(
        label=_("Which rule?"),
        queryset=Rule.objects.none(),
        required=False,
        help_text=_("Only for changing or removing a rule."),
    )
    # The rule as the form showed it: a change is only taken once the person has seen the
    # whole rule as it reads now (so no part is lost by being left blank), and the parts
    # they changed are the ones that differ from what they were shown.
    shown_text = PlainTextField(max_length=TEXT_LIMIT, required=False, widget=forms.HiddenInput)
    shown_why = PlainTextField(max_length=TEXT_LIMIT, required=False, widget=forms.HiddenInput)
    shown_category = PlainTextField(max_length=20, required=False, widget=forms.HiddenInput)
    shown_if_broken = PlainTextField(
        max_length=SHORT_LIMIT, required=False, widget=forms.HiddenInput
    )

    class Meta:
        formfield_callback = bounded_formfield
        model = Proposal
        fields = ["kind", "target", "text", "why", "category", "if_broken", "reason"]
        widgets = {
            "kind": forms.RadioSelect,
            "text": forms.Textarea(attrs={"rows": 3}),
            "why": forms.Textarea(attrs={"rows": 2}),
            "if_broken": forms.Textarea(attrs={"rows": 2}),
            "reason": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"text": _("The rule, in your words")}
        help_texts = {
            "text": _("For adding or changing a rule."),
            "why": _("For adding or changing a rule."),
            "category": _("For adding or changing a rule."),
            "if_broken": _(
                "For adding or changing a rule: the response the group agrees, for example "
                "a quiet word from a facilitator."
            ),
            "reason": _("Why you suggest this. Everyone in the group can read it."),
        }

    def __init__(self, *args, rules, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = Proposal.Kind.choices  # a radio, so no blank choice
        self.fields["target"].queryset = rules
        self.fields["target"].label_from_instance = lambda rule: rule.text[:120]
        self.needs_showing = False
        self.changed_meanwhile = False
        self.rebased = None

    @classmethod
    def changing(cls, rule, *, rules, data=None, exact=False):
        """An unbound form for changing `rule`, filled with every part of it as it reads
        now; parts in `data` (what the person has written already) are kept, blank ones
        too when `exact`."""
        data = data or {}
        initial = {
            "kind": Proposal.Kind.CHANGE,
            "target": rule.pk,
            "reason": data.get("reason", ""),
        }
        for part in RULE_PARTS:
            initial[part] = data[part] if exact else data.get(part) or getattr(rule, part)
            initial[f"shown_{part}"] = getattr(rule, part)
        return cls(rules=rules, initial=initial)

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        target = cleaned.get("target")
        if kind in (Proposal.Kind.CHANGE, Proposal.Kind.REMOVE) and not target:
            self.add_error("target", _("Choose the rule you want to change or remove."))
        if kind == Proposal.Kind.CHANGE and target and not self._showed(target, cleaned):
            return cleaned
        if kind in (Proposal.Kind.ADD, Proposal.Kind.CHANGE):
            if not (cleaned.get("text") or "").strip():
                self.add_error("text", _("Write the rule as you would like it to read."))
            if not cleaned.get("category"):
                self.add_error("category", _("Choose a category."))
        if kind != Proposal.Kind.CHANGE or self.errors:
            return cleaned
        for part in RULE_PARTS:
            # A browser sends a textarea's line breaks as CR LF: words left as they were
            # are the rule's own, not a change.
            if _lines(cleaned.get(part)) == _lines(getattr(target, part)):
                cleaned[part] = getattr(target, part)
        if all(cleaned.get(part) == getattr(target, part) for part in RULE_PARTS):
            raise forms.ValidationError(
                _("Nothing would change: change at least one part of the rule.")
            )
        return cleaned

    def _showed(self, target, cleaned) -> bool:
        """Whether the form showed `target` as it reads now. If not, nothing is checked or
        saved: the view shows the rule first (`needs_showing`). If it showed an older
        reading (the draft was edited meanwhile), the parts the person changed are kept
        and the others take the rule's new words (`rebased`)."""
        shown = {part: cleaned.get(f"shown_{part}") or "" for part in RULE_PARTS}
        if all(_lines(shown[part]) == _lines(getattr(target, part)) for part in RULE_PARTS):
            return True
        self.needs_showing = True
        if shown["text"]:
            self.changed_meanwhile = True
            self.rebased = {
                part: getattr(target, part)
                if _lines(cleaned.get(part)) == _lines(shown[part])
                else cleaned.get(part) or ""
                for part in RULE_PARTS
            }
            self.rebased["reason"] = cleaned.get("reason") or ""
        return False

    def proposal_fields(self) -> dict:
        data = self.cleaned_data
        if data["kind"] == Proposal.Kind.REMOVE:
            return {}
        return {k: data.get(k) or "" for k in RULE_PARTS}


class CommentForm(forms.Form):
    text = PlainTextField(
        label=_("Your comment"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept it into the draft")), ("decline", _("Decline it"))],
        widget=forms.RadioSelect,
    )
    reason = PlainTextField(
        label=_("Reason"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when you decline. The person who suggested it will see it."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "decline" and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Please give a reason for declining."))
        return cleaned
