"""Getting started and editing a group's draft."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from groups.conflicts import refuse_changed, refuse_stale
from groups.models import Group

from ..models import Rule, Rulebook, Version
from ..selectors import current_version
from ..starters import starters_for
from ..summary import refresh as refresh_summary
from . import locks
from .locks import RulesError


@transaction.atomic
def save_getting_started(*, group, answers: dict, by=None, base=None) -> Rulebook:
    """The group's answers to the toolkit's questions about having ground rules.

    "No, not for now" is recorded as a decision (on the day it is first made) with a date
    to look again; `upheld_by` in the answers sets who upholds the group's rules. With
    `base` (the stamp the form carried, "" before the first save): EditConflict if the
    answers were changed since."""
    locks.lock_group_versions(group.pk)
    rulebook, created = Rulebook.objects.select_for_update().get_or_create(group=group)
    answers = dict(answers)
    upheld_by = answers.pop("upheld_by", None)
    if base is not None and not created:
        refuse_stale(rulebook, base, answers)
    rulebook.changed_by = by
    not_now = answers.get("want_rules") == Rulebook.WantRules.NO
    if not_now and rulebook.want_rules != Rulebook.WantRules.NO:
        rulebook.decided_on = timezone.localdate()
    if not not_now:
        rulebook.decided_on = None
        answers.update(revisit_on=None, note_for_group="")
    for name, value in answers.items():
        setattr(rulebook, name, value)
    rulebook.save()
    if upheld_by and upheld_by != group.upheld_by:
        Group.objects.filter(pk=group.pk).update(upheld_by=upheld_by, updated=timezone.now())
        group.upheld_by = upheld_by
    return rulebook


def _copy_rules(source, target):
    Rule.objects.bulk_create(
        Rule(
            version=target,
            lineage=r.lineage,
            position=r.position,
            text=r.text,
            why=r.why,
            category=r.category,
            if_broken=r.if_broken,
        )
        for r in source.rules.all()
    )


@transaction.atomic
def start_draft(*, group, by, based_on=None) -> Version:
    """The group's draft: the existing one, or a new copy of the current rules."""
    # Two people starting a draft at once get the same one (the partial unique
    # constraint backs this up), even in a group that has no version to lock yet.
    locks.lock_group_versions(group.pk)
    draft = Version.objects.draft().filter(group=group).first()
    if draft:
        return draft
    source = (
        based_on or Version.objects.in_round().filter(group=group).first() or current_version(group)
    )
    number = (Version.objects.filter(group=group).aggregate(n=Max("number"))["n"] or 0) + 1
    draft = Version.objects.create(
        group=group, number=number, status=Version.Status.DRAFT, based_on=source, created_by=by
    )
    if source is not None:
        _copy_rules(source, draft)
    refresh_summary([group.pk])
    return draft


def next_position(version) -> int:
    return (version.rules.aggregate(p=Max("position"))["p"] or 0) + 1


@transaction.atomic
def add_rule(*, version, fields: dict, by=None) -> Rule:
    locked = locks.lock_version(version, Version.Status.DRAFT)
    return Rule.objects.create(
        version=locked, position=next_position(locked), changed_by=by, **fields
    )


@transaction.atomic
def add_starters(*, group, by, keys) -> Version:
    """A group's first draft, from the chosen starter rules (in the library's words).

    Starters are for a first draft only: a second submit must not add them twice."""
    locks.lock_group_versions(group.pk)
    if Version.objects.filter(group=group).exists():
        raise RulesError(
            "The group already has ground rules. Suggest or add new rules in the draft."
        )
    draft = start_draft(group=group, by=by)
    fitting = starters_for(group)
    for key in keys:
        category, text, why, if_broken = fitting[key]
        add_rule(
            version=draft,
            fields={
                "category": category,
                "text": str(text),
                "why": str(why),
                "if_broken": str(if_broken),
            },
        )
    return draft


def _lock_draft_rule(rule) -> Rule:
    """The version row, then the rule's (the order every draft change takes)."""
    locks.lock_version(rule.version, Version.Status.DRAFT)
    locked = Rule.objects.select_for_update().filter(pk=rule.pk).first()
    if locked is None:
        raise RulesError("This rule has been taken out of the draft since the page was opened.")
    return locked


@transaction.atomic
def update_rule(*, rule, fields: dict, by=None, base=None) -> Rule:
    """Change a rule of the draft; EditConflict if it changed since `base` (the stamp
    its form carried; None only for callers that showed no page, like the demo data)."""
    locked = _lock_draft_rule(rule)
    if base is not None:
        refuse_stale(locked, base, fields)
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.changed_by = by
    locked.save()
    return locked


@transaction.atomic
def delete_rule(*, rule, base=None) -> None:
    """Take a rule out of the draft; ChangedUnderneath if it changed since `base`."""
    locked = _lock_draft_rule(rule)
    if base is not None:
        refuse_changed(
            locked,
            base,
            "This rule was changed since you opened the page, so it has not been taken "
            "out. Read it again, then decide.",
        )
    locked.delete()


@transaction.atomic
def move_rule(*, rule, up: bool) -> None:
    version = locks.lock_version(rule.version, Version.Status.DRAFT)
    ordered = list(version.rules.order_by("position", "id"))
    index = next(i for i, r in enumerate(ordered) if r.pk == rule.pk)
    swap = index - 1 if up else index + 1
    if 0 <= swap < len(ordered):
        ordered[index], ordered[swap] = ordered[swap], ordered[index]
    for position, item in enumerate(ordered, start=1):
        item.position = position
    Rule.objects.bulk_update(ordered, ["position"])
