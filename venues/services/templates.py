"""Versions of an organisation's venue-check questions. Each change makes a new version;
past checks keep the version (and wording) they were answered against."""

from django.db import transaction
from django.db.models import Max

from groups import audit
from groups.conflicts import ChangedUnderneath, conflict_between
from groups.models import AuditEvent, Organisation

from ..models import Question, Template
from ..questions import default_questions
from .errors import VenueError


def _lock_templates_of(organisation) -> None:
    """Versions of an organisation's questions are made one at a time (row lock on it)."""
    list(
        Organisation.objects.select_for_update(no_key=True)
        .filter(pk=organisation.pk)
        .values_list("pk")
    )


@transaction.atomic
def ensure_template(organisation) -> Template:
    """The organisation's current questions, creating the default set the first time."""
    current = Template.objects.filter(organisation=organisation).first()
    if current is not None:
        return current
    # Two first checks at once: the second waits here, then finds the first's template.
    _lock_templates_of(organisation)
    current = Template.objects.filter(organisation=organisation).first()
    if current is not None:
        return current
    template = Template.objects.create(organisation=organisation, version=1)
    questions = default_questions()
    for question in questions:
        question.template = template
    Question.objects.bulk_create(questions)
    return template


@transaction.atomic
def new_template_version(*, organisation, by, change) -> Template:
    """Copy the current questions into a new version, then let `change(questions)` edit them.

    `change` receives the list of unsaved Question objects and returns the list to keep.
    Past assessments keep the version (and wording) they were answered against.
    """
    ensure_template(organisation)
    # Lock first, then read: a change made meanwhile is committed and seen, not copied over.
    _lock_templates_of(organisation)
    current = Template.objects.filter(organisation=organisation).first()
    number = Template.objects.filter(organisation=organisation).aggregate(n=Max("version"))["n"] + 1
    copies = [
        Question(
            key=q.key,
            position=q.position,
            section=q.section,
            applies_to=q.applies_to,
            need=q.need,
            not_for_need=q.not_for_need,
            critical=q.critical,
            text=q.text,
            help_text=q.help_text,
            safe_answer=q.safe_answer,
        )
        for q in current.questions.order_by("section", "position")
    ]
    kept = change(copies)
    template = Template.objects.create(organisation=organisation, version=number, created_by=by)
    for position, question in enumerate(kept, start=1):
        question.template = template
        question.position = position
    Question.objects.bulk_create(kept)
    audit.record(
        AuditEvent.Action.TEMPLATE_CHANGED,
        actor=by,
        organisation=organisation,
        target=f"Version {number}",
    )
    return template


def add_question(*, organisation, by, question: Question) -> Template:
    """A new version with `question` (unsaved) added at the end of its section."""

    def add(questions):
        # A key never used in any version, not even a retired one: keys match questions
        # across versions. Read here, under the version lock, so two adds differ.
        used = set(
            Question.objects.filter(template__organisation=organisation).values_list(
                "key", flat=True
            )
        )
        n = len(used) + 1
        while f"custom-{n}" in used:
            n += 1
        question.key = f"custom-{n}"
        same = [q for q in questions if q.section == question.section]
        question.position = max((q.position for q in same), default=0) + 1
        return [*questions, question]

    return new_template_version(organisation=organisation, by=by, change=add)


def edit_question(*, organisation, by, key, fields: dict, base_version=None) -> Template:
    """A new version with the question `key` worded (or marked) as in `fields`.

    With `base_version` (the version the form showed): EditConflict if the question was
    changed in a version since (other questions changing is no conflict), VenueError if
    it was taken out."""

    def edit(questions):
        if base_version is not None:
            _refuse_question_changed(organisation, key, base_version, questions, fields)
        for q in questions:
            if q.key == key:
                for name, value in fields.items():
                    setattr(q, name, value)
        return questions

    return new_template_version(organisation=organisation, by=by, change=edit)


def _refuse_question_changed(organisation, key, base_version, questions, fields):
    """Called under the template lock, with the current version's questions."""
    current = next((q for q in questions if q.key == key), None)
    if current is None:
        raise VenueError(
            "This question was taken out of the questions after you opened the page, "
            "so it has not been changed."
        )
    seen = Question.objects.filter(
        template__organisation=organisation, template__version=base_version, key=key
    ).first()
    if seen is not None and all(getattr(seen, name) == getattr(current, name) for name in fields):
        return  # only other questions changed since
    latest = Template.objects.filter(organisation=organisation).first()
    conflict = conflict_between(
        current,
        fields,
        changed_by=latest.created_by,
        changed_at=latest.created,
        stamp=str(latest.version),
    )
    if conflict is not None:
        raise conflict


def retire_question(*, organisation, by, key, base_version=None) -> Template:
    """A new version without the question `key`; past checks keep it. With `base_version`
    (the version the list showed): ChangedUnderneath if the question changed since."""

    def retire(questions):
        if base_version is not None:
            current = next((q for q in questions if q.key == key), None)
            seen = Question.objects.filter(
                template__organisation=organisation, template__version=base_version, key=key
            ).first()
            if (
                current is None
                or seen is None
                or any(getattr(seen, part) != getattr(current, part) for part in Question.PARTS)
            ):
                raise ChangedUnderneath(
                    "This question was changed since you opened the page, so it has not been "
                    "retired. Read it again, then decide."
                )
        return [q for q in questions if q.key != key]

    return new_template_version(organisation=organisation, by=by, change=retire)


def move_question(*, organisation, by, key, up: bool) -> Template:
    """A new version with the question `key` one place up or down within its section."""

    def move(questions):
        ordered = sorted(questions, key=lambda q: (q.section, q.position))
        i = next(n for n, q in enumerate(ordered) if q.key == key)
        j = i - 1 if up else i + 1
        if 0 <= j < len(ordered) and ordered[j].section == ordered[i].section:
            ordered[i], ordered[j] = ordered[j], ordered[i]
        return ordered

    return new_template_version(organisation=organisation, by=by, change=move)
