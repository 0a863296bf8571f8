"""Demo ground rules: adopted versions with history, an open round, suggestions."""

from datetime import timedelta

from django.utils import timezone

from groundrules import selectors, services
from groundrules.models import Agreement, Breach, Review, Version
from groundrules.starters import STARTERS_BY_KEY
from groups.models import Membership

LINK = "http://127.0.0.1:8000/"


def _fields(key, **changes):
    category, text, why, if_broken = STARTERS_BY_KEY[key]
    fields = {"category": category, "text": str(text), "why": str(why), "if_broken": str(if_broken)}
    fields.update(changes)
    return fields


def _members(group):
    return [
        m.user
        for m in Membership.objects.current()
        .filter(group=group)
        .select_related("user")
        .order_by("user__email")
    ]


def _facilitator(group):
    return Membership.objects.filter(group=group, role="facilitator").first().user


def _agree_all(version, people, answer="agree", comment=""):
    for person in people:
        services.record_agreement(
            version=version,
            user=person,
            answer=answer,
            comment=comment,
            visibility="facilitators",
            seen_hash=version.content_hash,
        )


def _adopted_version(group, keys, outcome=""):
    lead = _facilitator(group)
    draft = services.start_draft(group=group, by=lead)
    existing = set(draft.rules.values_list("text", flat=True))
    for key in keys:
        fields = _fields(key)
        if fields["text"] not in existing:
            services.add_rule(version=draft, fields=fields)
    version = services.open_round(version=draft, by=lead, link=LINK)
    _agree_all(version, _members(group))
    return services.adopt_version(version=version, by=lead, outcome=outcome, link=LINK)


def _back_date(version, adopted_at):
    """As if `version` went to the group a week before `adopted_at` and was agreed then."""
    Version.objects.filter(pk=version.pk).update(
        round_opened_at=adopted_at - timedelta(days=7), closed_at=adopted_at
    )
    agreed_at = adopted_at - timedelta(days=3)
    Agreement.objects.filter(version=version).update(created=agreed_at, updated=agreed_at)


def load(groups_by_slug):
    for slug, group in groups_by_slug.items():
        if group.organisation.slug != "riverside":
            continue
        if Version.objects.filter(group=group).exists():
            continue
        first = ["stays-here", "listen", "pass", "phones"]
        if group.format != "in_person":
            first = ["stays-here", "listen", "cameras", "no-screenshots"]
        # Adopted 11 months ago, and changed 5 months ago: the trends page shows a year.
        now = timezone.now()
        _back_date(_adopted_version(group, first), now - timedelta(days=330))
        changed = _adopted_version(
            group,
            ["limits", "detail", "time-out"],
            outcome="We added the limits of confidentiality after our review.",
        )
        _back_date(changed, now - timedelta(days=150))
        lead = _facilitator(group)
        members = _members(group)
        current = selectors.current_version(group)
        target = current.rules.order_by("position").last()
        services.propose(
            group=group,
            by=members[-1],
            kind="change",
            target=target,
            fields=_fields(
                "time-out",
                text="Anyone can step out at any time. If you don't "
                "come back within 15 minutes, a facilitator will check on you.",
            ),
            reason="It would help to know when someone will check on us.",
        )
        proposal = services.propose(
            group=group,
            by=members[0],
            kind="add",
            fields=_fields("warning"),
            reason="Sometimes stories catch me off guard.",
        )
        services.add_comment(
            proposal=proposal, by=lead, text="Thank you, shall we talk about this next week?"
        )
        if slug == "demo-carers":
            # An open round with mixed answers.
            draft = services.start_draft(group=group, by=lead)
            services.add_rule(version=draft, fields=_fields("no-judging"))
            version = services.open_round(version=draft, by=lead, link=LINK)
            _agree_all(version, members[:2])
            _agree_all(
                version,
                members[2:3],
                answer="talk",
                comment="I'd like us to say what 'advice' means.",
            )


def load_reviews(groups_by_slug):
    """An overdue review for one group, and a few breach records."""
    group = groups_by_slug["demo-wednesday"]
    if Review.objects.filter(group=group).exists():
        return
    current = selectors.current_version(group)
    now = timezone.now()
    Version.objects.filter(group=group).update(
        round_opened_at=now - timedelta(days=314), closed_at=now - timedelta(days=300)
    )
    lead = _facilitator(group)
    rules = list(current.rules.order_by("position"))
    services.save_review_interval(group=group, months=6)
    services.record_review(
        group=group,
        by=lead,
        held_on=(now - timedelta(days=230)).date(),
        participants=5,
        outcome=Review.Outcome.NO_CHANGE,
        notes="Everyone felt the rules were working.",
        items={rule: ("yes", "") for rule in rules},
    )
    # The other groups looked at their rules two months ago: only this one is overdue.
    for slug, other in groups_by_slug.items():
        if slug == group.slug or other.organisation_id != group.organisation_id:
            continue
        adopted = selectors.current_version(other)
        if adopted is None or Review.objects.filter(group=other).exists():
            continue
        services.record_review(
            group=other,
            by=_facilitator(other),
            held_on=(now - timedelta(days=60)).date(),
            participants=4,
            outcome=Review.Outcome.NO_CHANGE,
            notes="The rules are working for us.",
            items={rule: ("yes", "") for rule in adopted.rules.order_by("position")},
        )
    phones = next((r for r in rules if r.category == "phones"), rules[0])
    for days, not_working, what in (
        (40, False, "A phone rang twice during someone's share."),
        (
            12,
            True,
            "Phones were out again; people said the rule is hard to keep with childcare calls.",
        ),
    ):
        if not Breach.objects.filter(group=group, what_happened=what).exists():
            services.record_breach(
                group=group,
                by=lead,
                occurred_on=(now - timedelta(days=days)).date(),
                rules=[phones],
                what_happened=what,
                response_taken=phones.if_broken,
                follow_up="Talk about it at the next review.",
                not_working=not_working,
            )
