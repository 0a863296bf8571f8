from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from groups.conflicts import BaseStampField, StampedForm
from groups.dates import add_months
from groups.fields import (
    BoundedDateField,
    BoundedIntegerField,
    BoundedModelChoiceField,
    PlainTextField,
    RowChoiceField,
    bounded_formfield,
    today,
)
from groups.models import Group

from .models import (
    COMMENT_LIMIT,
    RULE_PARTS,
    SHORT_LIMIT,
    TEXT_LIMIT,
    Agreement,
    Breach,
    Proposal,
    Review,
    ReviewItem,
    Rule,
    Rulebook,
)


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


class CompareForm(forms.Form):
    older = forms.TypedChoiceField(label=_("Older version"), coerce=int)
    newer = forms.TypedChoiceField(label=_("Newer version"), coerce=int)

    def __init__(self, *args, versions, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(v.number, f"{v.number} – {v.get_status_display()}") for v in versions]
        self.fields["older"].choices = choices
        self.fields["newer"].choices = choices


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
