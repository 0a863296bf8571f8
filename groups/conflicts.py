"""Two people editing one record at once: the later save is refused, and nothing is lost.

Every edit form carries the stamp of the record as the person first saw it (`base`: its
`updated` time, with microseconds). The service locks the row (select_for_update), then
calls `refuse_stale` before writing: if the row has changed since that stamp and what was
typed differs from what is there now, it raises `EditConflict`, which carries each field
that differs (what they typed, what is there now), who changed it last and when, and the
stamp to start again from. The view shows `groups/conflict.html` with the person's own
words in the form, ready to keep, to merge by hand, or to leave for what is there now.

A state change (taking something out, adopting, submitting) has no words to merge: the
service calls `refuse_changed`, which raises `ChangedUnderneath` with a plain message.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django import forms
from django.db import models
from django.shortcuts import render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .fields import PlainTextField

STAMP_LIMIT = 40


def stamp_of(instance) -> str:
    """The stamp a form carries: when the row was last changed, to the microsecond."""
    return instance.updated.isoformat() if instance.updated else ""


def _is_stale(locked, base) -> bool:
    if not base:
        return True
    try:
        seen = datetime.fromisoformat(base)
    except ValueError:
        return True
    return seen != locked.updated


@dataclass(frozen=True)
class Clash:
    """One field that differs: its name and label, and both values as people read them."""

    name: str
    label: str
    yours: str
    now: str


def _shown(field, value) -> str:
    if value is None or value == "":
        return ""
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return _("Yes") if value else _("No")
    if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
        return date_format(value, "j F Y")
    return str(value)


def _same(a, b) -> bool:
    if isinstance(a, models.Model) or isinstance(b, models.Model):
        return getattr(a, "pk", a) == getattr(b, "pk", b)
    return (a or "") == (b or "") if isinstance(a, str) or isinstance(b, str) else a == b


class EditConflict(Exception):
    """A save refused because someone else changed the record since the form was opened."""

    def __init__(self, *, clashes, changed_by, changed_at, stamp, typed=None, current=None):
        super().__init__("The record changed since the form was opened.")
        self.clashes = clashes
        # The values as stored and as typed, by field name, for pages that offer a choice.
        self.typed = typed or {}
        self.current = current or {}
        self.changed_by = changed_by
        self.changed_at = changed_at
        self.stamp = stamp


class ChangedUnderneath(Exception):
    """A delete or state change refused because the thing changed since the page loaded."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def conflict_between(current, typed: dict, *, changed_by, changed_at, stamp, more=()):
    """The EditConflict between what was typed and `current` (a model instance), or None
    when every typed value is what is there now: nothing either person wrote is lost.
    `more`: Clashes the caller found in what is not a field of the row (a group's needs)."""
    clashes = []
    for name, yours in typed.items():
        now = getattr(current, name)
        if _same(yours, now):
            continue
        field = current._meta.get_field(name)
        clashes.append(
            Clash(
                name=name,
                label=str(field.verbose_name).capitalize(),
                yours=_shown(field, yours),
                now=_shown(field, now),
            )
        )
    clashes += more
    if not clashes:
        return None
    return EditConflict(
        clashes=clashes,
        changed_by=changed_by,
        changed_at=changed_at,
        stamp=stamp,
        typed=dict(typed),
        current={name: getattr(current, name) for name in typed},
    )


def refuse_stale(locked, base, typed: dict, *, more=()) -> None:
    """Raise EditConflict if `locked` (a row locked in this transaction) changed since
    `base` and any value in `typed` (model fields only) differs from what is there now,
    or `more` names a difference elsewhere. Equal values are no conflict: nothing either
    person typed would be lost."""
    if not _is_stale(locked, base):
        return
    conflict = conflict_between(
        locked,
        typed,
        changed_by=getattr(locked, "changed_by", None),
        changed_at=locked.updated,
        stamp=stamp_of(locked),
        more=more,
    )
    if conflict is not None:
        raise conflict


def fingerprint(*rows) -> str:
    """A short stamp of what a page showed (for a state change that reads many rows, such
    as adopting after reading everyone's answers): equal only if the rows are."""
    return hashlib.sha256(repr(rows).encode()).hexdigest()[:STAMP_LIMIT]


def refuse_changed(locked, base, message) -> None:
    """Raise ChangedUnderneath if `locked` changed since `base` (state changes, deletes)."""
    if _is_stale(locked, base):
        raise ChangedUnderneath(message)


class BaseStampField(PlainTextField):
    """The hidden field that carries the stamp of what the person started from."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", STAMP_LIMIT)
        kwargs.setdefault("required", True)
        kwargs.setdefault(
            "error_messages",
            {"required": gettext_lazy("Please open the page again: the form was incomplete.")},
        )
        super().__init__(**kwargs)


class StampedForm(forms.Form):
    """Put first in an edit form's bases: adds `base`, the stamp of the record edited
    (`stamped`, else a ModelForm's instance). A form that makes a new record has none."""

    base = BaseStampField()
    # True for a record made the first time it is saved (a group's settings): its base is
    # "" until then, so a second first save finds the first one.
    stamp_new = False

    def __init__(self, *args, stamped=None, **kwargs):
        super().__init__(*args, **kwargs)
        source = stamped if stamped is not None else getattr(self, "instance", None)
        if self.stamp_new:
            self.fields["base"].required = False  # "" is a base: "none saved yet"
        if source is not None and source.pk:
            self.fields["base"].initial = stamp_of(source)
        elif not self.stamp_new:
            del self.fields["base"]

    def full_clean(self):
        super().full_clean()
        # A hidden field's error would show nowhere: say it above the form.
        if self._errors and "base" in self._errors:
            for message in self._errors.pop("base"):
                self.add_error(None, message)


class StampForm(StampedForm):
    """A form with nothing but the stamp: for deletes and state changes."""


def conflict_page(request, conflict, *, form, context, back_url):
    """The page shown instead of saving: field by field, theirs and now, and the form
    again (their words, the new stamp) to keep or to merge. Answered 409."""
    form.data = form.data.copy()
    form.data[form.add_prefix("base")] = conflict.stamp
    form._errors = None  # validated again on display, against the new stamp
    return render(
        request,
        "groups/conflict.html",
        {
            **context,
            "conflict": conflict,
            "form": form,
            "back_url": back_url,
        },
        status=409,
    )
