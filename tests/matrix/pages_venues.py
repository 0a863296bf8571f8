"""Matrix page specs: organisation A's venue library and questions, group A's room
and its checks (see world.py: _venues).
"""

from datetime import timedelta
from html import escape as html_escape

from django.urls import reverse
from django.utils import timezone

from tests.builders import submit_data
from tests.matrix.effects_venues import (
    CLOSING_NOTE,
    EDITED_KEY,
    EDITED_QUESTION,
    FEEDBACK_FORM,
    MOVED_KEY,
    NEW_ACCESS,
    NEW_ACTION,
    NEW_QUESTION,
    NEW_VENUE_FORM,
    SECTION_KEY,
    action_done,
    action_new_done,
    answer_done,
    answer_form,
    choose_done,
    drop_check_in_progress,
    feedback_done,
    question_add_done,
    question_edit_done,
    question_move_done,
    question_retire_done,
    reopen_done,
    section_done,
    section_form,
    submit_done,
    venue_add_done,
    venue_edit_done,
    venue_new_done,
    venue_start_done,
)
from tests.matrix.page import Page, group_kwargs, org_kwargs, stamp
from tests.matrix.world import (
    ACTION_WHAT,
    FEEDBACK_COMMENT,
    FEEDBACK_SCORE,
    HALL,
    NO_KEY,
    NO_NOTE,
    ROOM,
    ROOM_ACCESS,
)
from venues import selectors as venue_selectors
from venues.models import Action, Template, Venue

VENUE_PAGES = {
    "venues:library": Page(
        kwargs=org_kwargs,
        private_object=True,
        shows=lambda w, role, actor: [
            "Venues and platforms",
            f'{reverse("venues:venue", args=[w.venues.room.uuid])}">{ROOM}</a>',
            HALL.replace("'", "&#x27;"),
            "Add a venue or platform",
        ],
    ),
    "venues:venue_new": Page(
        kwargs=org_kwargs,
        private_object=True,
        post=lambda w, actor: NEW_VENUE_FORM,
        effect=venue_new_done,
        shows=lambda w, role, actor: ["Add a venue or platform", 'name="access_notes"'],
    ),
    "venues:questions": Page(
        kwargs=org_kwargs,
        private_object=True,
        shows=lambda w, role, actor: [
            "Venue questions",
            "Version 1. Every change makes a new version",
            *(html_escape(text) for _key, text in w.venues.questions),
        ],
    ),
    "venues:question_add": Page(
        kwargs=org_kwargs,
        private_object=True,
        post=lambda w, actor: {
            "section": "being_safe",
            "applies_to": "physical",
            "need": "",
            "text": NEW_QUESTION,
            "help_text": "",
            "safe_answer": "yes",
        },
        effect=question_add_done,
        shows=lambda w, role, actor: ["Add a question", 'name="text"', "Save as a new version"],
    ),
    "venues:question_edit": Page(
        kwargs=lambda w: {"slug": w.cast.org_a.slug, "key": EDITED_KEY},
        private_object=True,
        post=lambda w, actor: {
            "section": "being_safe",
            "applies_to": "physical",
            "need": "",
            "text": EDITED_QUESTION,
            "help_text": "",
            "safe_answer": "yes",
            "critical": "on",
            "base": str(Template.objects.filter(organisation=w.cast.org_a).first().version),
        },
        effect=question_edit_done,
        shows=lambda w, role, actor: [
            "Edit a question",
            dict(w.venues.questions)[EDITED_KEY],
            "Save as a new version",
        ],
    ),
    "venues:question_retire": Page(
        kwargs=lambda w: {"slug": w.cast.org_a.slug, "key": EDITED_KEY},
        private_object=True,
        post=lambda w, actor: {
            "base": str(Template.objects.filter(organisation=w.cast.org_a).first().version)
        },
        effect=question_retire_done,
    ),
    "venues:question_move": Page(
        kwargs=lambda w: {"slug": w.cast.org_a.slug, "key": MOVED_KEY},
        private_object=True,
        post=lambda w, actor: {"direction": "up"},
        effect=question_move_done,
    ),
    "venues:venue": Page(
        kwargs=lambda w: {"venue": w.venues.room.uuid},
        private_object=True,
        shows=lambda w, role, actor: [
            f"<h1>{ROOM}</h1>",
            ROOM_ACCESS,
            w.cast.group_a.name,  # meets here
            ACTION_WHAT,
            "In progress",
            "Compare two assessments",
            "Edit details",
        ],
    ),
    "venues:venue_edit": Page(
        kwargs=lambda w: {"venue": w.venues.room.uuid},
        private_object=True,
        post=lambda w, actor: {
            "kind": Venue.Kind.PHYSICAL,
            "name": ROOM,
            "address": "12 Mill Lane",
            "postcode": "AB1 2CD",
            "directions": "Bus 12 to the library stop.",
            "access_notes": NEW_ACCESS,
            "join_info": "",
            "base": stamp(w.venues.room),
        },
        effect=venue_edit_done,
        shows=lambda w, role, actor: ["Edit venue", ROOM, ROOM_ACCESS],
    ),
    "venues:compare": Page(
        kwargs=lambda w: {"venue": w.venues.room.uuid},
        private_object=True,
        # The two checks of the room: only the No has changed.
        shows=lambda w, role, actor: [
            "Compare two assessments",
            html_escape(dict(w.venues.questions)[NO_KEY])
            + ' <strong class="status-tag">Changed</strong>',
        ],
    ),
    "venues:group": Page(
        kwargs=group_kwargs,
        private_object=True,
        shows=lambda w, role, actor: [
            "Where we meet",
            ROOM,
            ROOM_ACCESS,
            *(["How safe do you feel here? (anonymous)"] if role == "peer" else []),
            *(
                ["Carry on with the check", "Peers' answers", ACTION_WHAT]
                if role in ("coordinator", "facilitator")
                else []
            ),
        ],
    ),
    "venues:choose": Page(
        kwargs=group_kwargs,
        private_object=True,
        post=lambda w, actor: {"venues": [w.venues.room.pk, w.venues.hall.pk]},
        effect=choose_done,
        shows=lambda w, role, actor: [
            "Where the group meets",
            f'name="venues" value="{w.venues.room.pk}"',
            f'name="venues" value="{w.venues.hall.pk}"',
            ROOM,
            HALL.replace("'", "&#x27;"),
        ],
    ),
    "venues:venue_add": Page(
        kwargs=group_kwargs,
        private_object=True,
        post=lambda w, actor: NEW_VENUE_FORM,
        effect=venue_add_done,
        shows=lambda w, role, actor: [
            "Add a venue or platform",
            f"{w.cast.group_a.name}: where we meet",
            'name="access_notes"',
        ],
    ),
    "venues:start": Page(
        kwargs=lambda w: {"slug": w.cast.group_a.slug, "venue": w.venues.room.uuid},
        private_object=True,
        setup=drop_check_in_progress,
        effect=venue_start_done,
    ),
    "venues:feedback": Page(
        kwargs=lambda w: {"slug": w.cast.group_a.slug, "venue": w.venues.room.uuid},
        private_object=True,
        post=lambda w, actor: FEEDBACK_FORM,
        effect=feedback_done,
        shows=lambda w, role, actor: [
            f"How safe do you feel at {ROOM}?",
            'name="safe_to_talk"',
            "Send anonymously",
        ],
    ),
    "venues:feedback_results": Page(
        kwargs=lambda w: {"slug": w.cast.group_a.slug, "venue": w.venues.room.uuid},
        private_object=True,
        shows=lambda w, role, actor: [
            f"How safe peers feel at {ROOM}",
            "3 answers, released this quarter",
            f"Overall: {FEEDBACK_SCORE}.0 out of 5.",
            FEEDBACK_COMMENT,
        ],
    ),
    "venues:assessment": Page(
        kwargs=lambda w: {"slug": w.cast.group_a.slug, "assessment": w.venues.latest.uuid},
        private_object=True,
        shows=lambda w, role, actor: [
            f"Check of {ROOM}",
            "Answers that need attention",
            f"<strong>No</strong> – {NO_NOTE}",
            ACTION_WHAT,
            "Make this an action",
        ],
    ),
    "venues:print": Page(
        kwargs=lambda w: {"slug": w.cast.group_a.slug, "assessment": w.venues.latest.uuid},
        private_object=True,
        shows=lambda w, role, actor: [
            f"Venue check: {ROOM}",
            w.cast.group_a.name,
            f"<strong>No</strong> – {NO_NOTE}",
        ],
    ),
    "venues:section": Page(
        kwargs=lambda w: {
            "slug": w.cast.group_a.slug,
            "assessment": w.venues.in_progress.uuid,
            "section": "being_safe",
        },
        private_object=True,
        post=section_form,
        effect=section_done,
        shows=lambda w, role, actor: [
            f"Being safe: {ROOM}",
            *(
                f'name="q{q.pk}"'
                for q in venue_selectors.questions_for(w.venues.in_progress)
                if q.section == "being_safe"
            ),
        ],
    ),
    "venues:answer": Page(
        kwargs=lambda w: {
            "slug": w.cast.group_a.slug,
            "assessment": w.venues.in_progress.uuid,
            "question": SECTION_KEY,
        },
        private_object=True,
        post=answer_form,
        effect=answer_done,
    ),
    "venues:submit": Page(
        kwargs=lambda w: {"slug": w.cast.group_a.slug, "assessment": w.venues.in_progress.uuid},
        private_object=True,
        post=lambda w, actor: submit_data(w.venues.in_progress),
        effect=submit_done,
        shows=lambda w, role, actor: [f"Submit the check of {ROOM}?", "Yes, submit the check"],
    ),
    "venues:reopen": Page(
        kwargs=lambda w: {"slug": w.cast.group_a.slug, "assessment": w.venues.latest.uuid},
        private_object=True,
        setup=drop_check_in_progress,
        effect=reopen_done,
    ),
    "venues:action_new": Page(
        kwargs=lambda w: {
            "slug": w.cast.group_a.slug,
            "assessment": w.venues.latest.uuid,
            "question": NO_KEY,
        },
        private_object=True,
        post=lambda w, actor: {
            "what": NEW_ACTION,
            "owner": w.cast.facilitator.pk,
            "due_on": (timezone.localdate() + timedelta(days=14)).isoformat(),
        },
        effect=action_new_done,
        shows=lambda w, role, actor: ["Turn this answer into an action", NO_NOTE, 'name="what"'],
    ),
    "venues:action": Page(
        kwargs=lambda w: {"slug": w.cast.group_a.slug, "action": w.venues.action.uuid},
        private_object=True,
        post=lambda w, actor: {"status": Action.Status.DONE, "note": CLOSING_NOTE},
        effect=action_done,
        shows=lambda w, role, actor: [
            ACTION_WHAT,
            ROOM,
            w.cast.facilitator.display_name,  # who will do it
            "Close this action",
        ],
    ),
}
