"""Helpers for the venues tests, offered as one fixture: `vn`.

`vn.venue(...)` adds a venue to an organisation's library and, with `used_by`,
records that groups meet there. `vn.answer(...)`, `vn.submitted(...)` and
`vn.action(...)` build assessments and actions through the service layer
(on-commit emails do not fire in set-up, so it never fills the outbox).
`vn.state()` is a snapshot of every venues row, used to check that a refused
request changed nothing.
"""

import re
from datetime import timedelta
from html import unescape
from types import SimpleNamespace

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from groups.models import GroupNeed
from venues import selectors, services
from venues.models import (
    Action,
    Answer,
    Assessment,
    FeedbackReceipt,
    FeedbackResponse,
    Question,
    Template,
    Venue,
    VenueUse,
)

LINK = "https://safespace.test/link/"


def venue(organisation, name, kind=Venue.Kind.PHYSICAL, used_by=(), **fields):
    if kind == Venue.Kind.PHYSICAL:
        fields.setdefault("address", f"{name}, 1 High Street")
        fields.setdefault("postcode", "AB1 2CD")
    made = Venue.objects.create(organisation=organisation, kind=kind, name=name, **fields)
    for group in used_by:
        VenueUse.objects.create(venue=made, group=group)
    return made


def needs(group, *wanted):
    for need in wanted:
        GroupNeed.objects.create(group=group, need=need)


def url(name, *args):
    return reverse(f"venues:{name}", args=[str(a) for a in args])


def questions(assessment):
    """The questions that apply to the assessment, fresh from the database."""
    return selectors.questions_for(Assessment.objects.get(pk=assessment.pk))


def keys(assessment):
    return [q.key for q in questions(assessment)]


def question(assessment, key):
    return next(q for q in questions(assessment) if q.key == key)


def answer(assessment, default="yes", values=None, notes=None, only=None):
    """Answer the assessment's questions: `default` for each, unless `values` names the key.

    `only` limits it to those keys; a value of None leaves that question unanswered.
    """
    values, notes = values or {}, notes or {}
    given = {}
    for q in questions(assessment):
        if only is not None and q.key not in only:
            continue
        value = values.get(q.key, default)
        if value is not None:
            given[q.pk] = (value, notes.get(q.key, ""))
    services.save_answers(assessment=assessment, answers=given)
    return assessment


def submitted(group, venue, by, default="yes", values=None, notes=None, when=None):
    """A submitted assessment; `when` back-dates its submission."""
    assessment = services.start_assessment(group=group, venue=venue, by=by)
    answer(assessment, default, values, notes)
    services.submit_assessment(assessment=assessment, by=by)
    if when is not None:
        Assessment.objects.filter(pk=assessment.pk).update(submitted_at=when)
    assessment.refresh_from_db()
    return assessment


def answer_to(assessment, key):
    return Answer.objects.select_related("question").get(assessment=assessment, question__key=key)


def action(assessment, key, by, owner=None, what=None, due_on=None):
    return services.create_action(
        answer=answer_to(assessment, key),
        by=by,
        what=what or f"Follow up {key}",
        owner=owner or by,
        due_on=due_on or timezone.localdate() + timedelta(days=30),
        link=LINK,
    )


def state():
    """Every venues row, in a comparable form."""

    def rows(model):
        return list(model.objects.order_by("pk").values())

    return {
        model.__name__: rows(model)
        for model in (
            Venue,
            VenueUse,
            Template,
            Question,
            Assessment,
            Answer,
            Action,
            FeedbackReceipt,
            FeedbackResponse,
        )
    }


def html(response):
    return response.content.decode()


def text(response):
    """The page's visible text, tags stripped and whitespace squeezed."""
    body = re.sub(r"<script.*?</script>|<style.*?</style>", " ", html(response), flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", body))).strip()


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def section_data(assessment, section, values=None, default="yes", notes=None, only=None):
    """POST data for a section page: a value (and note) per applicable question in it."""
    values, notes = values or {}, notes or {}
    data = {}
    for q in questions(assessment):
        if q.section != section or (only is not None and q.key not in only):
            continue
        value = values.get(q.key, default)
        if value is not None:
            data[f"q{q.pk}"] = value
        data[f"q{q.pk}_note"] = notes.get(q.key, "")
    return data


@pytest.fixture
def vn():
    return SimpleNamespace(
        LINK=LINK,
        venue=venue,
        needs=needs,
        url=url,
        questions=questions,
        keys=keys,
        question=question,
        answer=answer,
        submitted=submitted,
        answer_to=answer_to,
        action=action,
        state=state,
        html=html,
        text=text,
        messages_of=messages_of,
        section_data=section_data,
    )


@pytest.fixture
def room(cast):
    """A physical venue in organisation A's library where group A meets."""
    return venue(
        cast.org_a,
        "Riverside Community Centre",
        used_by=[cast.group_a],
        directions="Bus 12 to the library stop.",
        access_notes="Level access at the side door.",
    )


@pytest.fixture
def other_room(cast):
    """Organisation B's venue, where group B meets."""
    return venue(cast.org_b, "Elsewhere Hall", used_by=[cast.group_b])
