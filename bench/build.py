"""Build a large organisation with bulk inserts: BENCH_GROUPS groups of 12 (500 unless set),
with everything in them, in proportion; then every group's summary row."""

import random
from datetime import UTC, datetime, time, timedelta
from time import perf_counter as time_now

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from groundrules.models import Agreement, Breach, Review, Rule, Rulebook, Version, hash_rules
from groups import summaries
from groups.dates import add_months, quarter
from groups.models import Coordinator, Group, GroupNeed, Membership, Organisation, User
from safespace.dashboard.services import snapshot_trends
from venues import scoring, services
from venues.models import (
    Action,
    Answer,
    Assessment,
    FeedbackReceipt,
    FeedbackRelease,
    PoolCount,
    PooledAnswer,
    ReleasedAnswer,
    Venue,
    VenueUse,
)

MEMBERS, RULES, ASSESSMENTS_PER_VENUE = 12, 10, 3
# For every 5 groups: 2 venues, 20 actions and 200 anonymous answers.
VENUES_PER_5, ACTIONS_PER_5, FEEDBACK_PER_5 = 2, 20, 200
PASSWORD = "bench-password"


def build(seed=1):
    GROUPS = settings.BENCH_GROUPS  # noqa: N806 (the organisation's size, for this run)
    VENUES, ACTIONS = GROUPS * VENUES_PER_5 // 5, GROUPS * ACTIONS_PER_5 // 5  # noqa: N806
    FEEDBACK = GROUPS * FEEDBACK_PER_5 // 5  # noqa: N806
    rng = random.Random(seed)  # noqa: S311 (made-up benchmark data, repeatable)
    now = timezone.now()
    hashed = make_password(PASSWORD)
    org = Organisation.objects.create(name="Bench Peer Support", slug="bench")
    coordinator = User.objects.create(
        email="coordinator@bench.test", display_name="Coordinator", password=hashed
    )
    Coordinator.objects.create(organisation=org, user=coordinator)

    users = User.objects.bulk_create(
        User(email=f"person{i}@bench.test", display_name=f"Person {i}", password=hashed)
        for i in range(GROUPS * MEMBERS)
    )
    formats = [Group.Format.IN_PERSON, Group.Format.ONLINE, Group.Format.HYBRID]
    groups = Group.objects.bulk_create(
        Group(
            organisation=org,
            name=f"Group {i:04d}",
            slug=f"bench{i:05d}",
            format=formats[i % 3],
            purpose="Peer support.",
        )
        for i in range(GROUPS)
    )
    GroupNeed.objects.bulk_create(GroupNeed(group=g, need="step_free") for g in groups[::4])
    joined = now - timedelta(days=400)
    memberships = []
    for gi, group in enumerate(groups):
        for mi in range(MEMBERS):
            memberships.append(
                Membership(
                    group=group,
                    user=users[gi * MEMBERS + mi],
                    joined_at=joined,
                    role=Membership.Role.FACILITATOR if mi == 0 else Membership.Role.PEER,
                )
            )
    Membership.objects.bulk_create(memberships)
    Rulebook.objects.bulk_create(Rulebook(group=g, review_every_months=6) for g in groups)

    # Two versions per group (the first superseded), ten rules each, everyone answered.
    versions, rules = [], []
    for gi, group in enumerate(groups):
        for number in (1, 2):
            texts = [
                Rule(
                    text=f"Rule {n} of version {number}.",
                    category="respect",
                    if_broken="A reminder.",
                    position=n,
                )
                for n in range(RULES)
            ]
            adopted_at = now - timedelta(days=300 if number == 1 else 20 + gi % 200)
            version = Version(
                group=group,
                number=number,
                content_hash=hash_rules(texts),
                status="superseded" if number == 1 else "adopted",
                closed_at=adopted_at,
                round_opened_at=adopted_at,
            )
            versions.append(version)
            rules.append(texts)
    Version.objects.bulk_create(versions)
    for version, texts in zip(versions, rules, strict=True):
        for rule in texts:
            rule.version = version
    Rule.objects.bulk_create([r for texts in rules for r in texts])
    agreements = []
    for vi, version in enumerate(versions):
        gi = vi // 2
        for mi in range(MEMBERS):
            if version.number == 2 and gi % 5 == 0 and mi == MEMBERS - 1:
                continue  # some groups have someone still to answer
            agreements.append(
                Agreement(
                    version=version,
                    user=users[gi * MEMBERS + mi],
                    answer="agree",
                    content_hash=version.content_hash,
                )
            )
    Agreement.objects.bulk_create(agreements)
    Review.objects.bulk_create(
        Review(
            group=g,
            version=versions[gi * 2 + 1],
            held_on=(now - timedelta(days=gi % 250)).date(),
            participants=8,
            outcome="no_change",
        )
        for gi, g in enumerate(groups)
    )
    Breach.objects.bulk_create(
        Breach(
            group=g,
            occurred_on=(now - timedelta(days=gi % 120)).date(),
            what_happened="A phone rang.",
            response_taken="A reminder.",
        )
        for gi, g in enumerate(groups)
        if gi % 2 == 0
    )

    # Venues, three assessments each, actions and peers' feedback.
    template = services.ensure_template(org)
    questions = list(template.questions.all())
    venues = Venue.objects.bulk_create(
        Venue(
            organisation=org,
            name=f"Venue {i:03d}",
            kind=Venue.Kind.ONLINE if i % 4 == 0 else Venue.Kind.PHYSICAL,
        )
        for i in range(VENUES)
    )
    VenueUse.objects.bulk_create(
        VenueUse(group=g, venue=venues[gi % VENUES]) for gi, g in enumerate(groups)
    )
    assessments, answer_sets = [], []
    values = ["yes", "yes", "yes", "partly", "no", "na", "dont_know"]
    for vi, venue in enumerate(venues):
        group = groups[vi]
        applicable = [q for q in questions if q.applies(venue.kind, set())]
        for k in range(ASSESSMENTS_PER_VENUE):
            picked = {q.pk: rng.choice(values) for q in applicable}
            result = scoring.score(applicable, picked)
            assessments.append(
                Assessment(
                    group=group,
                    venue=venue,
                    template=template,
                    submitted_at=datetime.combine(
                        add_months(now.date(), -(4 * k + vi % 4)), time(12), tzinfo=UTC
                    ),
                    being_safe_score=result.sections["being_safe"].score,
                    feeling_safe_score=result.sections["feeling_safe"].score,
                    critical_flag=result.critical_flag,
                )
            )
            answer_sets.append(picked)
    Assessment.objects.bulk_create(assessments)
    answers = Answer.objects.bulk_create(
        Answer(assessment=a, question_id=qid, value=value)
        for a, picked in zip(assessments, answer_sets, strict=True)
        for qid, value in picked.items()
    )
    concerns = [a for a in answers if a.value in ("no", "partly")]
    by_assessment = {a.pk: a for a in assessments}
    position = {g.pk: gi for gi, g in enumerate(groups)}
    actions = []
    for i in range(ACTIONS):
        answer = concerns[i % len(concerns)]
        assessment = by_assessment[answer.assessment_id]
        done = i % 3 == 0
        actions.append(
            Action(
                answer=answer,
                venue_id=assessment.venue_id,
                group_id=assessment.group_id,
                what="Follow this up.",
                owner=users[position[assessment.group_id] * MEMBERS],
                due_on=(now + timedelta(days=rng.randint(-60, 60))).date(),
                status="done" if done else "open",
                closing_note="Done." if done else "",
                closed_at=now if done else None,
            )
        )
    Action.objects.bulk_create(actions)
    period = quarter(now.date())
    # Peers' answers: per group, one release this quarter and one in each quarter of last
    # year (FEEDBACK answers in all), and two answers waiting in the pool.
    periods = [period] + [f"{now.year - 1}-Q{q}" for q in range(1, 5)]
    releases = FeedbackRelease.objects.bulk_create(
        FeedbackRelease(
            group=g,
            venue=venues[gi % VENUES],
            period=p,
            released_on=now.date(),
            answers=FEEDBACK // (GROUPS * len(periods)),
        )
        for gi, g in enumerate(groups)
        for p in periods
    )

    def scores():
        return {name: rng.randint(1, 5) for name in ReleasedAnswer.SCORE_FIELDS}

    ReleasedAnswer.objects.bulk_create(
        ReleasedAnswer(release=release, **scores())
        for release in releases
        for _ in range(release.answers)
    )
    PooledAnswer.objects.bulk_create(
        PooledAnswer(group=g, venue=venues[gi % VENUES], **scores())
        for gi, g in enumerate(groups)
        for _ in range(2)
    )
    PoolCount.objects.bulk_create(
        PoolCount(group=g, venue=venues[gi % VENUES], counts_from=period, waiting=2)
        for gi, g in enumerate(groups)
    )
    FeedbackReceipt.objects.bulk_create(
        FeedbackReceipt(
            user=users[gi * MEMBERS + mi], group=g, venue=venues[gi % VENUES], period=period
        )
        for gi, g in enumerate(groups)
        for mi in range(1, 11)
    )
    started = time_now()
    summaries.refresh_all()
    snapshot_trends()  # the daily job keeps the months that have ended
    return {
        "summaries_seconds": time_now() - started,
        "organisation": org,
        "coordinator": coordinator,
        "facilitator": users[0],
        "peer": users[1],
        "group": groups[0],
    }
