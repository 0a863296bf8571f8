"""Form fields that bound what they accept, used by every form of the app.

Bad input gets a clear form error: never a server error, and never a stored value
that breaks a page. So:

- dates (`BoundedDateField`) are never before 1900 nor more than five years from now,
  and each form narrows that further (a review or breach is not in the future; an
  action is due from today on);
- whole numbers (`BoundedIntegerField`) have a smallest and a largest value, both
  required;
- a chosen row (`BoundedModelChoiceField`, `BoundedModelMultipleChoiceField`) is
  sent as its key, and a key that is not a whole number from 1 to 2**63 - 1 is
  "not one of the available choices" before it reaches a query (the database
  cannot take a larger number, and says so with a server error);
- text (`PlainTextField`) has a maximum length, always, and loses the invisible
  characters that can make it read differently from what it holds (see `plain`).

`bounded_formfield` makes a ModelForm use these fields for its model's fields: set
`formfield_callback = bounded_formfield` in the form's Meta.
`tests/hostile/test_forms_are_bounded.py` checks that every form uses them.
"""

from datetime import date

from django import forms
from django.core import validators
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models.fields import BLANK_CHOICE_LABEL
from django.utils import dateformat, timezone
from django.utils.translation import gettext_lazy as _

from .dates import add_months

EARLIEST = date(1900, 1, 1)
YEARS_AHEAD = 5
KEY_MAX = 2**63 - 1  # the largest primary key SQLite and PostgreSQL (bigint) hold

# Invisible characters taken out of text. What is left reads as it is stored:
# - C0 and C1 control characters, except tab, newline and carriage return (NUL is
#   refused with a form error by Django's own validator instead);
# - the bidirectional embeddings, overrides and isolates (U+202A–U+202E,
#   U+2066–U+2069) and the deprecated format characters (U+206A–U+206F): a
#   right-to-left override makes "Fay ‮rotatilicaF" show as "Fay Facilitator";
# - characters with no width and no use in ordinary text, which make two names
#   that look the same differ: zero-width space, word joiner, zero-width no-break
#   space (BOM), Mongolian vowel separator, invisible operators, annotation marks.
# Kept: zero-width joiner and non-joiner, left-to-right and right-to-left marks,
# Arabic letter mark, soft hyphen and tag characters. Real scripts and emoji need
# them, and none of them reorders text. Line and paragraph separators become newlines.
_INVISIBLE = [
    *range(0x00, 0x09),
    0x0B,
    0x0C,
    *range(0x0E, 0x20),
    *range(0x7F, 0xA0),
    0x180E,
    0x200B,
    *range(0x202A, 0x202F),
    *range(0x2060, 0x2065),
    *range(0x2066, 0x2070),
    0xFEFF,
    *range(0xFFF9, 0xFFFC),
]
_PLAIN = {code: None for code in _INVISIBLE if code != 0x00} | {0x2028: "\n", 0x2029: "\n"}


def plain(text: str) -> str:
    """`text` without the invisible characters that could disguise what it says."""
    return text.translate(_PLAIN)


def today() -> date:
    return timezone.localdate()


def years_ahead() -> date:
    """The latest date any form takes: five years from today."""
    return add_months(today(), 12 * YEARS_AHEAD)


def _day(value) -> date:
    return value() if callable(value) else value


class PlainTextField(forms.CharField):
    """Text with a maximum length (required), without invisible spoofing characters."""

    def __init__(self, *, max_length, **kwargs):
        if not max_length:
            raise ImproperlyConfigured("A text field needs a max_length.")
        super().__init__(max_length=max_length, **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = plain(value)
        return super().to_python(value)


class PlainURLField(forms.URLField):
    """A web address without invisible characters (a right-to-left override in a link's
    text would make it read as somewhere else)."""

    def to_python(self, value):
        if isinstance(value, str):
            value = plain(value)
        return super().to_python(value)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d"):
        super().__init__(attrs, format=format)


class BoundedDateField(forms.DateField):
    """A date from `earliest` to `latest` (dates, or callables such as `today`), which
    never reach before 1900 or past five years from today. The browser's date picker
    is told the range too."""

    widget = DateInput
    default_error_messages = {
        "out_of_range": _("Please give a date from %(earliest)s to %(latest)s."),
        "only_day": _("The date can only be %(day)s."),
    }

    def __init__(self, *, earliest=EARLIEST, latest=years_ahead, **kwargs):
        super().__init__(**kwargs)
        self.set_range(earliest, latest)

    def set_range(self, earliest=None, latest=None):
        """Narrow the range (for one form, e.g. from the group it is about)."""
        if earliest is not None:
            self.earliest = earliest
        if latest is not None:
            self.latest = latest
        self._tell_widget()

    def range(self) -> tuple[date, date]:
        return max(EARLIEST, _day(self.earliest)), min(years_ahead(), _day(self.latest))

    def _tell_widget(self):
        earliest, latest = self.range()
        self.widget.attrs.update(min=earliest.isoformat(), max=latest.isoformat())

    def __deepcopy__(self, memo):
        # Every form gets a copy of its fields: "today" is worked out afresh for each.
        copied = super().__deepcopy__(memo)
        copied._tell_widget()
        return copied

    def validate(self, value):
        super().validate(value)
        if value in self.empty_values:
            return
        earliest, latest = self.range()
        if earliest <= value <= latest:
            return
        if earliest == latest:
            raise forms.ValidationError(
                self.error_messages["only_day"],
                code="out_of_range",
                params={"day": dateformat.format(latest, "j F Y")},
            )
        raise forms.ValidationError(
            self.error_messages["out_of_range"],
            code="out_of_range",
            params={
                "earliest": dateformat.format(earliest, "j F Y"),
                "latest": dateformat.format(latest, "j F Y"),
            },
        )


class BoundedIntegerField(forms.IntegerField):
    """A whole number between `min_value` and `max_value`, both required."""

    def __init__(self, *, min_value, max_value, **kwargs):
        if not -KEY_MAX - 1 <= min_value <= max_value <= KEY_MAX:
            raise ImproperlyConfigured("A number field needs a range the database holds.")
        super().__init__(min_value=min_value, max_value=max_value, **kwargs)


# Said of a key no row can have, without repeating it (it may be 100,000 characters).
_INVALID_CHOICE = _("Select a valid choice. That choice is not one of the available choices.")


def _is_key(model_field, value) -> bool:
    """Whether `value` can be a value of `model_field` (a whole number the database holds,
    for an integer key); other kinds of key are left to the field's own checks."""
    if not isinstance(model_field, models.IntegerField):
        return True
    if isinstance(value, int) and not isinstance(value, bool):
        return 1 <= value <= KEY_MAX
    text = str(value)
    return text.isascii() and text.isdigit() and len(text) <= 19 and 1 <= int(text) <= KEY_MAX


def _key_field(choice_field):
    meta = choice_field.queryset.model._meta
    return meta.get_field(choice_field.to_field_name) if choice_field.to_field_name else meta.pk


class BoundedModelChoiceField(forms.ModelChoiceField):
    """A choice of one row, by a key the database can hold."""

    def to_python(self, value):
        if value in self.empty_values or isinstance(value, self.queryset.model):
            return super().to_python(value)
        if not _is_key(_key_field(self), value):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class _RowsIterator(forms.models.ModelChoiceIterator):
    """The choices of a RowChoiceField: its rows, as the view read them."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for row in self.field.rows:
            yield self.choice(row)

    def __len__(self):
        return len(self.field.rows) + (self.field.empty_label is not None)

    def __bool__(self):
        return self.field.empty_label is not None or bool(self.field.rows)


class RowChoiceField(BoundedModelChoiceField):
    """A choice of one of `rows` (set with `set_rows`), rows the view has read already:
    offered and checked without asking the database again. `queryset` names the model."""

    iterator = _RowsIterator
    rows = ()

    def set_rows(self, rows):
        self.rows = list(rows)
        self.widget.choices = self.choices

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, self.queryset.model):
            value = value.pk
        for row in self.rows:
            if str(row.pk) == str(value):
                return row
        raise forms.ValidationError(_INVALID_CHOICE, code="invalid_choice")


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A choice of rows, each by a key the database can hold."""

    def _check_values(self, value):
        key = _key_field(self)
        try:
            values = frozenset(value)
        except TypeError:
            raise forms.ValidationError(
                self.error_messages["invalid_list"], code="invalid_list"
            ) from None
        for each in values:
            if not _is_key(key, each):
                raise forms.ValidationError(_INVALID_CHOICE, code="invalid_choice")
        return super()._check_values(value)


def _number_range(model_field) -> tuple[int, int]:
    low, high = -KEY_MAX - 1, KEY_MAX
    for validator in model_field.validators:
        if isinstance(validator, validators.MinValueValidator):
            low = max(low, validator.limit_value)
        elif isinstance(validator, validators.MaxValueValidator):
            high = min(high, validator.limit_value)
    return low, high


def bounded_formfield(model_field, **kwargs):
    """A ModelForm's `formfield_callback`: the bounded field for each model field."""
    if not model_field.choices:
        if isinstance(model_field, models.ForeignKey):
            kwargs.setdefault("form_class", BoundedModelChoiceField)
        elif isinstance(model_field, models.ManyToManyField):
            kwargs.setdefault("form_class", BoundedModelMultipleChoiceField)
        elif type(model_field) in (models.CharField, models.TextField):
            if not model_field.max_length:
                raise ImproperlyConfigured(
                    f"{model_field.model.__name__}.{model_field.name} is filled in a form: "
                    "give it a max_length."
                )
            kwargs.setdefault("form_class", PlainTextField)
        elif type(model_field) is models.URLField:
            kwargs.setdefault("form_class", PlainURLField)
        elif type(model_field) is models.DateField:
            kwargs.setdefault("form_class", BoundedDateField)
        elif isinstance(model_field, models.IntegerField) and not isinstance(
            model_field, models.AutoField
        ):
            low, high = _number_range(model_field)
            kwargs.setdefault("form_class", BoundedIntegerField)
            kwargs.setdefault("min_value", low)
            kwargs.setdefault("max_value", high)
    field = model_field.formfield(**kwargs)
    if model_field.choices and _is_radio(kwargs.get("widget")):
        # A radio button needs no "- Select an option -" choice: none is ticked until one
        # is chosen. A blank choice with a meaning of its own ("Every group") stays.
        field.choices = [
            (value, label)
            for value, label in field.choices
            if not (value == "" and str(label) == str(BLANK_CHOICE_LABEL))
        ]
    return field


def _is_radio(widget) -> bool:
    return isinstance(widget, forms.RadioSelect) or (
        isinstance(widget, type) and issubclass(widget, forms.RadioSelect)
    )
