"""Demo venues: three places, assessments of different ages, actions, peers' feedback."""

import random
from datetime import timedelta

from django.utils import timezone

from groups.models import Membership
from venues import selectors, services
from venues.models import Action, Assessment, Venue

VENUES = [
    (
        "Riverside Community Centre",
        Venue.Kind.PHYSICAL,
        {
            "address": "12 Mill Lane, Riverside",
            "postcode": "RV1 2AB",
            "directions": "Buses 4 and 17 stop outside. Side entrance, ring the bell.",
            "access_notes": "Level access through the side door. Accessible toilet on the ground "
            "floor.",
        },
    ),
    (
        "Riverside Library, community room",
        Venue.Kind.PHYSICAL,
        {
            "address": "Library Square, Riverside",
            "postcode": "RV1 9CD",
            "directions": "Five minutes' walk from the station.",
            "access_notes": "Lift to the first floor.",
        },
    ),
    (
        "Video calls (the group's usual platform)",
        Venue.Kind.ONLINE,
        {"join_info": "The facilitator emails a link and passcode before each meeting."},
    ),
]

USES = {
    "demo-wednesday": ["Riverside Community Centre"],
    "demo-online": ["Video calls (the group's usual platform)"],
    "demo-carers": [
        "Riverside Library, community room",
        "Video calls (the group's usual platform)",
    ],
}


# (months ago, weights of safe, partly, unsafe, not applicable, don't know answers)
HISTORY = [
    (12, [5, 3, 2, 1, 1]),
    (9, [6, 3, 2, 1, 1]),
    (6, [7, 2, 1, 1, 1]),
    (3, [8, 2, 1, 1, 1]),
]


def _answer_all(assessment, lead, rng, weights):
    questions = selectors.questions_for(assessment)
    answers = {}
    for q in questions:
        values = [q.safe_answer, "partly", q.unsafe_answer, "na", "dont_know"]
        value = rng.choices(values, weights=weights)[0]
        if q.raises_flag(value):
            value = "partly"
        note = "Noted during the visit." if q.needs_attention(value) else ""
        answers[q.pk] = (value, note)
    services.save_answers(assessment=assessment, answers=answers)
    services.submit_assessment(assessment=assessment, by=lead)


def load(groups_by_slug):
    org = groups_by_slug["demo-wednesday"].organisation
    if Venue.objects.filter(organisation=org).exists():
        return
    rng = random.Random(7)  # noqa: S311 (made-up demo answers, repeatable)
    venues = {}
    for name, kind, fields in VENUES:
        venues[name] = Venue.objects.create(organisation=org, name=name, kind=kind, **fields)
    now = timezone.now()
    for slug, names in USES.items():
        group = groups_by_slug[slug]
        services.set_group_venues(group=group, venues=[venues[n] for n in names])
        lead = Membership.objects.filter(group=group, role="facilitator").first().user
        for name in names:
            venue = venues[name]
            # A check every quarter for a year, getting better: the trends page shows a
            # year, and any two checks can be compared. The actions of the older checks
            # were done a month or so later; the latest check's are still open.
            checks = []
            for months_ago, weights in HISTORY:
                assessment = services.start_assessment(group=group, venue=venue, by=lead)
                _answer_all(assessment, lead, rng, weights)
                checked_at = now - timedelta(days=30 * months_ago)
                Assessment.objects.filter(pk=assessment.pk).update(submitted_at=checked_at)
                checks.append((assessment, checked_at))
            for n, (assessment, checked_at) in enumerate(checks):
                latest = n == len(checks) - 1
                answers = assessment.answers.select_related("question").order_by(
                    "question__position"
                )
                unsafe = [a for a in answers if a.question.needs_attention(a.value)]
                for i, answer in enumerate(unsafe[:2]):
                    action = Action.objects.create(
                        answer=answer,
                        venue=venue,
                        group=group,
                        owner=lead,
                        created_by=lead,
                        what=f"Follow up: {answer.question.text[:80]}",
                        priority=Action.priority_for(answer),
                        due_on=(
                            (now + timedelta(days=-10 if i == 0 else 21))
                            if latest
                            else checked_at + timedelta(days=30)
                        ).date(),
                    )
                    done = (
                        {}
                        if latest
                        else {
                            "status": Action.Status.DONE,
                            "closed_at": checked_at + timedelta(days=25 + 10 * i),
                            "closing_note": "Sorted with the venue.",
                        }
                    )
                    Action.objects.filter(pk=action.pk).update(created=checked_at, **done)
    # Peers' answers, through the same pool and release as a real check. The demo's people
    # joined months ago (people.py), so their answers count this quarter: three answers
    # about the community centre are released; two about the video calls wait for a third
    # (Jo, the demo peer, has answered neither: their answer releases that batch).
    # Peers feel less safe getting to the community centre than its checklist says, so
    # the safety page and the dashboard show a disagreement to talk about.
    for slug, venue_name, emails in (
        ("demo-wednesday", "Riverside Community Centre", DEMO_ANSWERERS[:3]),
        ("demo-online", "Video calls (the group's usual platform)", DEMO_ANSWERERS[3:]),
    ):
        group = groups_by_slug[slug]
        for membership in Membership.objects.filter(
            group=group, role="peer", user__email__in=emails
        ).select_related("user"):
            services.give_feedback(
                user=membership.user,
                group=group,
                venue=venues[venue_name],
                scores={
                    "welcome": rng.randint(3, 5),
                    "physically_safe": rng.randint(1, 3),
                    "safe_to_talk": rng.randint(2, 5),
                    "time_out": rng.randint(1, 4),
                    "comfortable_with_others": rng.randint(3, 5),
                },
                comment=rng.choice(COMMENTS),
            )


COMMENTS = [
    "",
    "The room gets cold in the evening.",
    "I like that the door is kept closed.",
    "The walk to the bus stop is dark after the meeting.",
]

DEMO_ANSWERERS = [
    "peer2@example.org",
    "peer3@example.org",
    "peer4@example.org",
    "peer5@example.org",
    "peer6@example.org",
]
