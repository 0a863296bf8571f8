"""Forms for a version put to the group: answering it (whole or rule by rule), opening the
round, recording its outcome and a talk had."""

from datetime import timedelta

from django import forms
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from groups.conflicts import BaseStampField
from groups.dates import add_months
from groups.fields import BoundedDateField, PlainTextField, RowChoiceField, today

from ..models import COMMENT_LIMIT, SHORT_LIMIT, Agreement, Rule


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Do you agree with these rules?"),
        choices=Agreement.Answer.choices,
        widget=forms.RadioSelect,
    )
    about = RowChoiceField(
        label=_("What is it about?"),
        queryset=Rule.objects.none(),
        required=False,
        empty_label=_("The rules as a whole"),
        help_text=_("If you'd like to talk: one rule, or the rules as a whole."),
    )
    comment = PlainTextField(
        label=_("What would you like to talk about?"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed if you'd like to talk about the rules."),
    )
    visibility = forms.ChoiceField(
        label=_("Who can read your comment?"),
        choices=Agreement.Visibility.choices,
        initial=Agreement.Visibility.FACILITATORS,
        widget=forms.RadioSelect,
    )
    content_hash = PlainTextField(max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args, rules=None, **kwargs):
        super().__init__(*args, **kwargs)
        rules = list(rules or [])
        self.fields["about"].set_rows(rules)
        numbers = {r.pk: n for n, r in enumerate(rules, start=1)}
        self.fields["about"].label_from_instance = lambda rule: (
            _("Rule %(n)d: %(text)s")
            % {
                "n": numbers.get(rule.pk, 0),
                "text": Truncator(rule.text).chars(80),
            }
        )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("answer") == Agreement.Answer.TALK
            and not (cleaned.get("comment") or "").strip()
        ):
            self.add_error("comment", _("Please say what you would like to talk about."))
        return cleaned


class RuleByRuleForm(forms.Form):
    """An answer to each rule of a version: "I agree", or "I'd like to talk about this
    rule" with a comment. `labels` maps a rule's id to how it changed ("new", "changed")."""

    RULE_CHOICES = [
        (Agreement.Answer.AGREE, _("I agree")),
        (Agreement.Answer.TALK, _("I'd like to talk about this rule")),
    ]

    visibility = forms.ChoiceField(
        label=_("Who can read your comments?"),
        choices=Agreement.Visibility.choices,
        initial=Agreement.Visibility.FACILITATORS,
        widget=forms.RadioSelect,
    )
    content_hash = PlainTextField(max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args, rules, labels=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.rules = list(rules)
        labels = labels or {}
        for n, rule in enumerate(self.rules, start=1):
            change = {"added": _(" (new)"), "changed": _(" (changed)")}.get(labels.get(rule.pk), "")
            self.fields[f"rule_{rule.pk}"] = forms.ChoiceField(
                label=_("Rule %(n)d%(change)s: %(text)s")
                % {"n": n, "change": change, "text": Truncator(rule.text).chars(140)},
                choices=self.RULE_CHOICES,
                widget=forms.RadioSelect,
                initial=Agreement.Answer.AGREE,
            )
            self.fields[f"rule_{rule.pk}_comment"] = PlainTextField(
                label=_("What would you like to talk about in rule %(n)d?") % {"n": n},
                max_length=COMMENT_LIMIT,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        self.order_fields([k for k in self.fields if k not in ("visibility", "content_hash")])

    def clean(self):
        cleaned = super().clean()
        for n, rule in enumerate(self.rules, start=1):
            talk = cleaned.get(f"rule_{rule.pk}") == Agreement.Answer.TALK
            if talk and not (cleaned.get(f"rule_{rule.pk}_comment") or "").strip():
                self.add_error(
                    f"rule_{rule.pk}_comment",
                    _("Please say what you would like to talk about in rule %(n)d.") % {"n": n},
                )
        return cleaned

    def answers(self) -> dict:
        """{rule: (answer, comment)} for every rule."""
        return {
            rule: (
                self.cleaned_data[f"rule_{rule.pk}"],
                self.cleaned_data.get(f"rule_{rule.pk}_comment") or "",
            )
            for rule in self.rules
        }


class OutcomeForm(forms.Form):
    # The tracker as the facilitator read it (selectors.round_seen).
    seen = BaseStampField()
    outcome = PlainTextField(
        label=_("Outcome"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "What was talked about and what the group decided. Needed unless everyone has "
            "agreed and nobody is waiting to talk."
        ),
    )

    def __init__(self, *args, waiting=(), **kwargs):
        """`waiting`: the version's open talk requests; each needs a note to adopt."""
        super().__init__(*args, **kwargs)
        self.waiting = list(waiting)
        for request in self.waiting:
            self.fields[f"note_{request.uuid}"] = PlainTextField(
                label=_("What came of %(name)s's request?")
                % {"name": request.member.display_name if request.member else _("a member")},
                max_length=SHORT_LIMIT,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def waiting_fields(self):
        return [(r, self[f"note_{r.uuid}"]) for r in self.waiting]

    def notes(self) -> dict:
        return {str(r.uuid): self.cleaned_data.get(f"note_{r.uuid}") or "" for r in self.waiting}


class TalkedAboutForm(forms.Form):
    note = PlainTextField(
        label=_("What came of it?"),
        max_length=SHORT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("A short note, for example “We agreed carers can keep a phone on silent.”"),
    )


class OpenRoundForm(forms.Form):
    closes_on = BoundedDateField(
        label=_("Ask for answers by (optional)"),
        required=False,
        help_text=_(
            "Members who haven't answered are reminded every few days until then. "
            "Leave it empty to keep the round open until you decide."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["closes_on"].set_range(
            earliest=lambda: today() + timedelta(days=1), latest=lambda: add_months(today(), 12)
        )
