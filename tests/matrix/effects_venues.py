"""Matrix effect checks for the venues pages: what a successful POST did, and the
set-up some of them need first.
"""

from django.urls import reverse
from django.utils import timezone

from groups.conflicts import stamp_of
from groups.dates import next_quarter
from tests.builders import database_state
from tests.matrix.page import absolute, private_mail_to, redirects_to
from tests.matrix.world import NO_KEY, ROOM, question_texts
from venues import selectors as venue_selectors
from venues.models import (
    Action,
    Answer,
    Assessment,
    FeedbackReceipt,
    PoolCount,
    PooledAnswer,
    ReleasedAnswer,
    Template,
    Venue,
    VenueUse,
)

NEW_VENUE = "Quaker Meeting House"
NEW_ACCESS = "Level access through the garden gate."
NEW_VENUE_FORM = {
    "kind": Venue.Kind.PHYSICAL,
    "name": NEW_VENUE,
    "address": "3 Friars Walk",
    "postcode": "AB3 4EF",
    "directions": "",
    "access_notes": "",
    "join_info": "",
}
NEW_QUESTION = "Is there somewhere to leave coats and bags safely?"
EDITED_QUESTION = "Is someone from the venue on hand if there is a difficulty?"
EDITED_KEY = "staffed"  # the question edited and retired
MOVED_KEY = "public-transport"  # second in "Being safe": moved up to first
SECTION_KEY = "large-enough"  # answered Partly in the check in progress
SECTION_NOTE = "Tight once more than ten people come."
NEW_ACTION = "Put a sign on the door asking for quiet."
CLOSING_NOTE = "The centre moved us to the back room."
FEEDBACK_FORM = {
    **dict.fromkeys(PooledAnswer.SCORE_FIELDS, 2),
    "comment": "The corridor is busy when we arrive.",
}


def venue_url(name, w, *args):
    return reverse(f"venues:{name}", args=[w.cast.group_a.slug, *args])


def new_version(w, actor):
    """Organisation A's questions now: version 2, made by the actor. Version 1 is untouched."""
    templates = list(Template.objects.filter(organisation=w.cast.org_a).order_by("version"))
    assert [(t.version, t.created_by) for t in templates] == [(1, None), (2, actor)]
    assert templates[0].pk == w.venues.template.pk
    assert question_texts(templates[0]) == w.venues.questions
    # Past checks keep the questions they were answered against.
    assert set(Assessment.objects.values_list("template", flat=True)) == {templates[0].pk}
    return templates[1]


def venue_new_done(w, actor, response, client, mail):
    venue = Venue.objects.get(name=NEW_VENUE)
    redirects_to(response, reverse("venues:venue", args=[venue.uuid]))
    assert (venue.organisation, venue.kind, venue.postcode) == (
        w.cast.org_a,
        Venue.Kind.PHYSICAL,
        "AB3 4EF",
    )
    assert not venue.groups.exists()


def question_add_done(w, actor, response, client, mail):
    redirects_to(response, reverse("venues:questions", args=[w.cast.org_a.slug]))
    version = new_version(w, actor)
    added = version.questions.get(text=NEW_QUESTION)
    assert (added.section, added.applies_to, added.critical) == ("being_safe", "physical", False)
    assert added.key.startswith("custom-")
    # Every question is kept; the new one comes last in its section.
    being_safe = [(k, t) for k, t in w.venues.questions if k in w.venues.being_safe_keys]
    feeling_safe = [(k, t) for k, t in w.venues.questions if k not in w.venues.being_safe_keys]
    assert question_texts(version) == [*being_safe, (added.key, NEW_QUESTION), *feeling_safe]


def question_edit_done(w, actor, response, client, mail):
    redirects_to(response, reverse("venues:questions", args=[w.cast.org_a.slug]))
    version = new_version(w, actor)
    assert question_texts(version) == [
        (key, EDITED_QUESTION if key == EDITED_KEY else text) for key, text in w.venues.questions
    ]
    edited = version.questions.get(key=EDITED_KEY)
    assert (edited.section, edited.applies_to, edited.critical) == (
        "being_safe",
        "physical",
        True,
    )


def question_retire_done(w, actor, response, client, mail):
    redirects_to(response, reverse("venues:questions", args=[w.cast.org_a.slug]))
    version = new_version(w, actor)
    assert question_texts(version) == [(k, t) for k, t in w.venues.questions if k != EDITED_KEY]


def question_move_done(w, actor, response, client, mail):
    redirects_to(response, reverse("venues:questions", args=[w.cast.org_a.slug]))
    version = new_version(w, actor)
    keys = [key for key, _text in question_texts(version, "being_safe")]
    first, second, *rest = w.venues.being_safe_keys
    assert second == MOVED_KEY
    assert keys == [second, first, *rest]


def venue_add_done(w, actor, response, client, mail):
    redirects_to(response, venue_url("group", w))
    venue = Venue.objects.get(name=NEW_VENUE)
    assert (venue.organisation, venue.kind, venue.postcode) == (
        w.cast.org_a,
        Venue.Kind.PHYSICAL,
        "AB3 4EF",
    )
    # Group A meets there now, as well as in its room.
    assert set(w.cast.group_a.venues.all()) == {w.venues.room, venue}


def venue_edit_done(w, actor, response, client, mail):
    redirects_to(response, reverse("venues:venue", args=[w.venues.room.uuid]))
    room = Venue.objects.get(pk=w.venues.room.pk)
    assert (room.name, room.access_notes, room.organisation) == (ROOM, NEW_ACCESS, w.cast.org_a)


def choose_done(w, actor, response, client, mail):
    redirects_to(response, venue_url("group", w))
    assert set(VenueUse.objects.filter(group=w.cast.group_a).values_list("venue", flat=True)) == {
        w.venues.room.pk,
        w.venues.hall.pk,
    }


def drop_check_in_progress(w):
    Assessment.objects.filter(pk=w.venues.in_progress.pk).delete()


def venue_start_done(w, actor, response, client, mail):
    started = Assessment.objects.get(group=w.cast.group_a, submitted_at__isnull=True)
    redirects_to(response, venue_url("assessment", w, started.uuid))
    assert (started.venue, started.template, started.started_by) == (
        w.venues.room,
        w.venues.template,
        actor,
    )
    assert not started.answers.exists()


def _bases(assessment):
    """The stamp of each stored answer, as the section page carries it."""
    return {a.question_id: stamp_of(a) for a in Answer.objects.filter(assessment=assessment)}


def section_form(w, actor):
    data = {}
    bases = _bases(w.venues.in_progress)
    for q in venue_selectors.questions_for(w.venues.in_progress):
        if q.section == "being_safe":
            partly = q.key == SECTION_KEY
            data[f"q{q.pk}"] = Answer.Value.PARTLY if partly else Answer.Value.YES
            data[f"q{q.pk}_note"] = SECTION_NOTE if partly else ""
            data[f"q{q.pk}_base"] = bases.get(q.pk, "")
    return data


def section_done(w, actor, response, client, mail):
    redirects_to(response, venue_url("assessment", w, w.venues.in_progress.uuid))
    answers = Answer.objects.filter(assessment=w.venues.in_progress)
    assert {
        (a.question.key, a.value, a.note) for a in answers if a.value != a.question.safe_answer
    } == {(SECTION_KEY, Answer.Value.PARTLY, SECTION_NOTE)}
    assert answers.count() == len(venue_selectors.questions_for(w.venues.in_progress))
    assert Assessment.objects.get(pk=w.venues.in_progress.pk).submitted_at is None


def answer_form(w, actor):
    question = w.venues.in_progress.template.questions.get(key=SECTION_KEY)
    return {
        f"q{question.pk}": Answer.Value.PARTLY,
        f"q{question.pk}_note": SECTION_NOTE,
        f"q{question.pk}_base": _bases(w.venues.in_progress).get(question.pk, ""),
    }


def answer_done(w, actor, response, client, mail):
    section = venue_url("section", w, w.venues.in_progress.uuid, "being_safe")
    redirects_to(response, f"{section}#answer-{SECTION_KEY}")
    answers = Answer.objects.filter(assessment=w.venues.in_progress)
    assert {
        (a.question.key, a.value, a.note) for a in answers if a.value != a.question.safe_answer
    } == {(SECTION_KEY, Answer.Value.PARTLY, SECTION_NOTE)}
    assert answers.count() == len(venue_selectors.questions_for(w.venues.in_progress))


def submit_done(w, actor, response, client, mail):
    redirects_to(response, venue_url("assessment", w, w.venues.in_progress.uuid))
    submitted = Assessment.objects.get(pk=w.venues.in_progress.pk)
    assert submitted.submitted_at is not None
    assert (submitted.submitted_by, submitted.critical_flag) == (actor, False)
    assert (submitted.being_safe_score, submitted.feeling_safe_score) == (100, 100)


def reopen_done(w, actor, response, client, mail):
    redirects_to(response, venue_url("assessment", w, w.venues.latest.uuid))
    reopened = Assessment.objects.get(pk=w.venues.latest.pk)
    assert (reopened.submitted_at, reopened.reopened_by) == (None, actor)
    assert (reopened.being_safe_score, reopened.critical_flag) == (None, False)
    assert reopened.first_submitted_at == w.venues.latest.first_submitted_at
    assert reopened.answers.count() == w.venues.latest.answers.count()


def action_new_done(w, actor, response, client, mail):
    action = Action.objects.get(what=NEW_ACTION)
    redirects_to(response, venue_url("action", w, action.uuid))
    assert (action.answer.question.key, action.answer.assessment, action.group, action.venue) == (
        NO_KEY,
        w.venues.latest,
        w.cast.group_a,
        w.venues.room,
    )
    assert (action.owner, action.created_by, action.status) == (
        w.cast.facilitator,
        actor,
        Action.Status.OPEN,
    )
    if actor == w.cast.facilitator:
        assert mail == []  # nobody is told about an action they gave themselves
    else:
        private_mail_to(w, mail, [w.cast.facilitator], absolute(venue_url("group", w)))


def action_done(w, actor, response, client, mail):
    redirects_to(response, venue_url("action", w, w.venues.action.uuid))
    action = Action.objects.get(pk=w.venues.action.pk)
    assert (action.status, action.closing_note) == (Action.Status.DONE, CLOSING_NOTE)
    assert action.closed_at is not None


def feedback_done(w, actor, response, client, mail):
    # The thank-you page, straight from the POST; an answer of 2 is low: it offers to tell
    # someone privately.
    assert response.status_code == 200
    thanks = response.content.decode()
    assert "Thank you for telling us how you feel" in thanks
    assert reverse("groups:concern_new", args=[w.cast.group_a.slug]) in thanks
    room, period = w.venues.room, venue_selectors.current_period()
    receipts = FeedbackReceipt.objects.filter(user=actor, group=w.cast.group_a, venue=room)
    assert list(receipts.values_list("period", flat=True)) == [period]
    # The peer joined this quarter: the answer waits in the pool, counting from the next
    # (the three answers released before it are unchanged).
    given = PooledAnswer.objects.get()
    assert (given.group, given.venue, given.comment) == (
        w.cast.group_a,
        room,
        FEEDBACK_FORM["comment"],
    )
    assert [getattr(given, f) for f in PooledAnswer.SCORE_FIELDS] == [2] * 5
    assert list(PoolCount.objects.values_list("counts_from", "waiting")) == [
        (next_quarter(timezone.localdate()), 1)
    ]
    assert ReleasedAnswer.objects.count() == 3
    # Once a quarter: answering again is turned away and changes nothing.
    before = database_state()
    again = client.post(venue_url("feedback", w, room.uuid), FEEDBACK_FORM)
    assert again.status_code == 200
    assert "You have already answered this quarter" in again.content.decode()
    assert database_state() == before
