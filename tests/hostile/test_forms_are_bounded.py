"""Every form of the app bounds every field it declares, so a new form cannot forget to.

Fields are found on each form class (its declared fields and those its ModelForm makes
from the model); fields made in a form's __init__ (one per rule or question) are
covered by the hostile-input property test, which checks what is stored.
"""

import importlib
import inspect

import pytest
from django import forms
from django.apps import apps
from django.conf import settings

from groups.fields import (
    EARLIEST,
    KEY_MAX,
    BoundedDateField,
    BoundedIntegerField,
    BoundedModelChoiceField,
    BoundedModelMultipleChoiceField,
    PlainTextField,
    PlainURLField,
    plain,
)

# The sign-in forms are Django's AuthenticationForm and AdminAuthenticationForm: the
# email is bounded by the User model's 254 characters and folded by normalise_email;
# the password by ThrottledSignInMixin (test_sign_in_passwords_are_bounded).
EXEMPT = {"safespace.accounts.forms.SignInForm", "safespace.accounts.forms.AdminSignInForm"}


def test_sign_in_passwords_are_bounded():
    from safespace.accounts.forms import AdminSignInForm, SignInForm

    for form_class in (SignInForm, AdminSignInForm):
        form = form_class(None, data={"username": "a@b.test", "password": "x" * 1025})
        assert not form.is_valid()
        assert "password" in form.errors


def _our_apps():
    return [
        config
        for config in apps.get_app_configs()
        if config.name in settings.INSTALLED_APPS
        and not config.name.startswith("django")
        and config.path.startswith(str(settings.BASE_DIR))
    ]


def _form_classes():
    found = []
    for config in _our_apps():
        try:
            module = importlib.import_module(f"{config.name}.forms")
        except ModuleNotFoundError:
            continue
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            # Defined in the app's forms module, or in a module of its forms package.
            home = cls.__module__
            if issubclass(cls, forms.BaseForm) and (
                home == module.__name__ or home.startswith(module.__name__ + ".")
            ):
                found.append(cls)
    return found


FORMS = _form_classes()


def test_the_forms_are_found():
    names = {cls.__name__ for cls in FORMS}
    assert {"BreachForm", "ReviewForm", "GroupVenuesForm", "ActionForm", "GroupForm"} <= names
    assert {"AnswerForm", "ProposalForm", "RulebookForm", "CompareForm"} <= names
    assert {"DashboardFilterForm", "DisplayNameForm"} <= names


def problems_of(field):
    if isinstance(field, forms.ModelMultipleChoiceField):
        return [] if isinstance(field, BoundedModelMultipleChoiceField) else ["unbounded keys"]
    if isinstance(field, forms.ModelChoiceField):
        return [] if isinstance(field, BoundedModelChoiceField) else ["unbounded key"]
    if isinstance(field, forms.ChoiceField | forms.BooleanField):
        return []  # only what it offers
    if isinstance(field, forms.DateField):
        return [] if isinstance(field, BoundedDateField) else ["unbounded date"]
    if isinstance(field, forms.IntegerField):
        bounded = isinstance(field, BoundedIntegerField)
        return [] if bounded and field.max_value <= KEY_MAX else ["unbounded number"]
    if isinstance(field, forms.CharField):
        if field.max_length is None:
            return ["no max_length"]
        is_secret = isinstance(field.widget, forms.PasswordInput)
        if not (is_secret or isinstance(field, forms.EmailField | PlainTextField | PlainURLField)):
            return ["text keeps invisible control characters"]
        return []
    return [f"a {type(field).__name__} the hostile-input tests do not know"]


@pytest.mark.parametrize("form", FORMS, ids=lambda cls: f"{cls.__module__}.{cls.__name__}")
def test_every_field_of_every_form_is_bounded(form):
    if f"{form.__module__}.{form.__name__}" in EXEMPT:
        pytest.skip("not in this part of the work: see EXEMPT")
    problems = {name: problems_of(field) for name, field in form.base_fields.items()}
    assert {name: found for name, found in problems.items() if found} == {}


def test_the_earliest_date_anywhere_is_1900():
    assert EARLIEST.year == 1900


# Real scripts and emoji keep what they need: a right-to-left mark in Arabic, a
# zero-width joiner in an emoji, a zero-width non-joiner in Persian, a soft hyphen.
KEPT = [
    "\u0645\u0631\u062d\u0628\u0627 \u200f(hello)",
    "\U0001f469\u200d\U0001f467",
    "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",
    "soft\u00adhyphen",
]


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("Fay \u202erotatilicaF", "Fay rotatilicaF"),
        ("\u2066isolated\u2069 \u202aembedded\u202c", "isolated embedded"),
        ("zero\u200bwidth\ufeff\u2060", "zerowidth"),
        ("bell\x07 escape\x1b[31m del\x7f csi\x9b", "bell escape[31m del csi"),
        ("lines\u2028and\u2029paragraphs", "lines\nand\nparagraphs"),
        ("tab\tnew\nline\r\n", "tab\tnew\nline\r\n"),
        (
            "\u0645\u0631\u062d\u0628\u0627 \u200f(hello)",
            "\u0645\u0631\u062d\u0628\u0627 \u200f(hello)",
        ),
        ("\U0001f469\u200d\U0001f467", "\U0001f469\u200d\U0001f467"),
        (
            "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",
            "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",
        ),
        ("soft\u00adhyphen", "soft\u00adhyphen"),
    ],
)
def test_plain_text_loses_only_the_invisible_characters_that_disguise_it(typed, kept):
    assert plain(typed) == kept
