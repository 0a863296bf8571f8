from django import forms
from django.utils.translation import gettext_lazy as _

from groups.conflicts import BaseStampField, StampedForm, stamp_of
from groups.fields import (
    BoundedModelMultipleChoiceField,
    PlainTextField,
    bounded_formfield,
    today,
    years_ahead,
)

from .models import NOTE_LIMIT, SCALE, Action, Answer, PooledAnswer, Question, Venue


class VenueForm(StampedForm, forms.ModelForm):
    class Meta:
        formfield_callback = bounded_formfield
        model = Venue
        fields = ["kind", "name", "address", "postcode", "directions", "access_notes", "join_info"]
        widgets = {
            "kind": forms.RadioSelect,
            "address": forms.Textarea(attrs={"rows": 2}),
            "directions": forms.Textarea(attrs={"rows": 2}),
            "access_notes": forms.Textarea(attrs={"rows": 2}),
            "join_info": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        clash = Venue.objects.filter(organisation=self.organisation, name__iexact=name)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("The organisation already has a venue with that name."))
        return name


class GroupVenuesForm(forms.Form):
    venues = BoundedModelMultipleChoiceField(
        label=_("Where the group meets"),
        queryset=Venue.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A hybrid group usually has a room and an online platform."),
    )

    def __init__(self, *args, venues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["venues"].queryset = venues


class SectionForm(forms.Form):
    """One radio question and one optional note per applicable question in a section."""

    def __init__(self, *args, questions, answers, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for number, question in enumerate(questions, start=1):
            existing = answers.get(question.pk)
            label = f"{number}. {question.text}"
            if question.critical:
                label += " " + str(_("(critical)"))
            self.fields[f"q{question.pk}"] = forms.ChoiceField(
                label=label,
                choices=Answer.Value.choices,
                required=False,
                widget=forms.RadioSelect,
                help_text=question.help_text or None,
                initial=existing.value if existing else None,
            )
            self.fields[f"q{question.pk}_note"] = PlainTextField(
                label=_("Note for question %(n)d (optional)") % {"n": number},
                max_length=NOTE_LIMIT,
                required=False,
                initial=existing.note if existing else "",
            )
            # What the page showed: the stored answer's stamp, or none yet.
            self.fields[f"q{question.pk}_base"] = BaseStampField(
                required=False, initial=stamp_of(existing) if existing else ""
            )

    def clean(self):
        cleaned = super().clean()
        for question in self.questions:
            if cleaned.get(f"q{question.pk}_note") and not cleaned.get(f"q{question.pk}"):
                self.add_error(f"q{question.pk}", _("Choose an answer to go with your note."))
        return cleaned

    def answers(self) -> dict:
        return {
            q.pk: (
                self.cleaned_data.get(f"q{q.pk}") or "",
                self.cleaned_data.get(f"q{q.pk}_note") or "",
            )
            for q in self.questions
        }

    def bases(self) -> dict:
        return {q.pk: self.cleaned_data.get(f"q{q.pk}_base") or "" for q in self.questions}

    def rebase(self, stamps: dict) -> None:
        """Start the questions in `stamps` from the answers stored now; what was typed stays."""
        self.data = self.data.copy()
        for question_id, stamp in stamps.items():
            self.data[self.add_prefix(f"q{question_id}_base")] = stamp


class ActionForm(forms.ModelForm):
    class Meta:
        formfield_callback = bounded_formfield
        model = Action
        fields = ["what", "priority", "owner", "due_on"]
        widgets = {"what": forms.Textarea(attrs={"rows": 3}), "priority": forms.RadioSelect}

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        # From today to five years on: a follow-up is for the future, but not the far one.
        self.fields["due_on"].set_range(earliest=today, latest=years_ahead)
        self.fields["due_on"].help_text = _("From today to five years from now.")
        self.fields["owner"].queryset = owners
        self.fields["owner"].label_from_instance = lambda user: user.display_name
        # Left out: the priority the answer calls for.
        self.fields["priority"].required = False


class QuestionsVersionForm(forms.Form):
    # The questions' version a page showed: retiring a question changed since is refused.
    base = BaseStampField()


class SubmitForm(forms.Form):
    # The answers as the confirmation page showed them (selectors.answers_seen).
    seen = BaseStampField()


class CloseActionForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Outcome"),
        choices=[(Action.Status.DONE, _("Done")), (Action.Status.WONT_DO, _("Won't do"))],
        widget=forms.RadioSelect,
    )
    note = PlainTextField(
        label=_("Note"),
        max_length=NOTE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What was done, or why it won't be."),
    )


class FeedbackForm(forms.ModelForm):
    class Meta:
        formfield_callback = bounded_formfield
        model = PooledAnswer
        fields = [*PooledAnswer.SCORE_FIELDS, "comment"]
        widgets = {
            **{name: forms.RadioSelect for name in PooledAnswer.SCORE_FIELDS},
            "comment": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"comment": _("Optional. Please don't name anyone.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Each statement is answered on the scale: no "Select an option" radio before it.
        for name in self.Meta.model.SCORE_FIELDS:
            self.fields[name].choices = SCALE


class QuestionForm(StampedForm, forms.ModelForm):
    """A question's wording and marks. Its base is the questions' version it was read in:
    each change makes a new version."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "base" in self.fields:
            self.fields["base"].initial = str(self.instance.template.version)

    def question_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}

    class Meta:
        formfield_callback = bounded_formfield
        model = Question
        fields = list(Question.PARTS)
        widgets = {
            "section": forms.RadioSelect,
            "applies_to": forms.RadioSelect,
            "safe_answer": forms.RadioSelect,
        }


class CompareForm(forms.Form):
    older = forms.TypedChoiceField(label=_("Earlier assessment"), coerce=str)
    newer = forms.TypedChoiceField(label=_("Later assessment"), coerce=str)

    def __init__(self, *args, assessments, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [
            (str(a.uuid), f"{a.submitted_at:%d %b %Y} – {a.group.name}") for a in assessments
        ]
        self.fields["older"].choices = choices
        self.fields["newer"].choices = choices
