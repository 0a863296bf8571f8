"""Read queries for ground rules. Callers pass a group already scoped to the user."""

from datetime import datetime

from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Lower

from groups.conflicts import fingerprint
from groups.models import Membership
from groups.prepared import Prepared

from .models import (
    Agreement,
    Breach,
    Proposal,
    ProposalComment,
    Review,
    ReviewItem,
    RoundReminder,
    Rule,
    Rulebook,
    TalkRequest,
    Version,
)


def versions(group):
    """Every version of the group's rules: refine with .adopted(), .in_round(), .draft()."""
    return Version.objects.filter(group=group)


def versions_of(group):
    return versions(group).annotate(rule_count=Count("rules"))


def current_version(group):
    """The adopted version (the group's current rules), or None."""
    return versions(group).adopted().first()


def rulebook_of(group):
    """The group's rules settings and getting-started answers, or None before any.

    Who may suggest changes is one of those answers: it is kept on the group object, so
    that checking the permission on the same page asks the database nothing more."""
    rulebook = _rulebook.first(group=group.pk)
    group._rules_suggestions_from = rulebook.suggestions_from if rulebook else None
    return rulebook


def draft_rules(group):
    """Rules of the group's draft (the only rules that can be edited)."""
    return Rule.objects.filter(version__group=group, version__status=Version.Status.DRAFT)


def rules_to_target(group):
    """Rules a suggestion can be about: those of the newest draft, round or current version."""
    for status in (Version.Status.DRAFT, Version.Status.IN_ROUND, Version.Status.ADOPTED):
        version = versions(group).filter(status=status).first()
        if version is not None:
            return Rule.objects.filter(version=version).order_by("position", "id")
    return Rule.objects.none()


def version_with_rules(group, number):
    return _version_with_rules.first(group=group.pk, number=number)


# Read on every ground-rules page: compiled once (groups/prepared.py).
_rulebook = Prepared(
    lambda group: Rulebook.objects.filter(group=group).order_by("pk")[:1], group=int
)
_live_versions = Prepared(
    lambda group: Version.objects.filter(
        group=group,
        status__in=[Version.Status.ADOPTED, Version.Status.IN_ROUND, Version.Status.DRAFT],
    ).select_related("created_by", "round_opened_by", "closed_by"),
    group=int,
)

_version_with_rules = Prepared(
    lambda group, number: Version.objects.filter(group=group, number=number).prefetch_related(
        Prefetch("rules", queryset=Rule.objects.order_by("position", "id"))
    )[:1],
    group=int,
    number=int,
)
_own_answer = Prepared(
    lambda version, user, words: Agreement.objects.filter(
        version=version, user=user, content_hash=words
    ).order_by("pk")[:1],
    version=int,
    user=int,
    words=str,
)


def live_versions(group) -> dict:
    """The group's current, in-round and draft versions (at most one of each), by status,
    in one query, with who made each."""
    return {version.status: version for version in _live_versions(group=group.pk)}


def rules_in(version) -> list:
    """A version's rules, in their order (one prepared query)."""
    return _rules_in(version=version.pk)


_rules_in = Prepared(
    lambda version: Rule.objects.filter(version=version).order_by("position", "id"), version=int
)


def version_by_status(group, status):
    return (
        Version.objects.filter(group=group, status=status)
        .select_related("created_by", "round_opened_by", "closed_by")
        .prefetch_related(Prefetch("rules", queryset=Rule.objects.order_by("position", "id")))
        .first()
    )


def members_with_answers(version):
    """Current members, each with their answer to `version` (or None), in one query."""
    answers = Agreement.objects.filter(
        version=version, user=OuterRef("user"), content_hash=version.content_hash
    )
    return (
        Membership.objects.current()
        .filter(group=version.group_id)
        .select_related("user")
        .annotate(
            answer=Subquery(answers.values("answer")[:1]),
            answer_comment=Subquery(answers.values("comment")[:1]),
            answer_visibility=Subquery(answers.values("visibility")[:1]),
            answered_at=Subquery(answers.values("updated")[:1]),
            reminded_at=Subquery(
                RoundReminder.objects.filter(version=version, member=OuterRef("user"))
                .order_by("-created")
                .values("created")[:1]
            ),
        )
        .order_by(Lower("user__display_name"))
    )


def round_seen(version, members, talks) -> str:
    """The stamp of a version's tracker as shown: its status and every member's answer and
    talk request. Adopting or withdrawing is refused if it differs when the change is made."""
    return fingerprint(
        str(version.status),
        [(m.user_id, m.answer, m.answered_at) for m in members],
        [(t.pk, t.is_open) for t in talks],
    )


def tally(members) -> dict:
    members = list(members)
    agreed = sum(1 for m in members if m.answer == Agreement.Answer.AGREE)
    talk = sum(1 for m in members if m.answer == Agreement.Answer.TALK)
    return {
        "members": len(members),
        "agreed": agreed,
        "talk": talk,
        "waiting": len(members) - agreed - talk,
        "everyone_agreed": bool(members) and agreed == len(members),
    }


def group_comments(version):
    """Comments members chose to share with the whole group (names shown)."""
    return (
        Agreement.objects.filter(
            version=version,
            answer=Agreement.Answer.TALK,
            visibility=Agreement.Visibility.GROUP,
        )
        .select_related("user")
        .order_by("updated")
    )


def last_agreed_version(version, user):
    """The newest other version of the group whose exact words `user` agreed to (with its
    rules and the date of that answer), or None: what their answer page compares with."""
    return _last_agreed.first(group=version.group_id, number=version.number, user=user.pk)


def _last_agreed_query(group, number, user):
    agreed = Agreement.objects.filter(
        version=OuterRef("pk"),
        user=user,
        answer=Agreement.Answer.AGREE,
        content_hash=OuterRef("content_hash"),
    )
    return (
        Version.objects.filter(group=group, number__lt=number)
        .exclude(content_hash="")
        .annotate(agreed_on=Subquery(agreed.values("updated")[:1]))
        .filter(agreed_on__isnull=False)
        .prefetch_related(Prefetch("rules", queryset=Rule.objects.order_by("position", "id")))
        .order_by("-number")[:1]
    )


_last_agreed = Prepared(_last_agreed_query, group=int, number=int, user=int)


def own_answer(version, user):
    return _own_answer.first(version=version.pk, user=user.pk, words=version.content_hash)


def suggestions_behind(version) -> list:
    """The suggestions accepted into `version`: decided after the version before it was
    put to the group, and before this one was (one query), with who made and decided them.
    For a version that was put to the group or adopted."""
    until = version.round_opened_at or version.closed_at
    if version.number == 1:
        return _first_suggestions(group=version.group_id, until=until)
    return _later_suggestions(group=version.group_id, number=version.number, until=until)


def _suggestions_query(group, until, number=None):
    found = Proposal.objects.filter(
        group=group, status=Proposal.Status.ACCEPTED, decided_at__lte=until
    ).select_related("proposed_by", "decided_by")
    if number is not None:
        previous_round = (
            Version.objects.filter(group=group, number__lt=number, round_opened_at__isnull=False)
            .order_by("-number")
            .values("round_opened_at")[:1]
        )
        found = found.annotate(previous_round=Subquery(previous_round)).filter(
            Q(previous_round__isnull=True) | Q(decided_at__gt=F("previous_round"))
        )
    return found.order_by("decided_at")


_first_suggestions = Prepared(_suggestions_query, group=int, until=datetime)
_later_suggestions = Prepared(_suggestions_query, group=int, until=datetime, number=int)


def proposals_of(group):
    return (
        Proposal.objects.filter(group=group)
        .select_related("proposed_by", "decided_by")
        .annotate(comment_count=Count("comments"))
        .order_by("-created")
    )


def proposal_comments(proposal):
    return ProposalComment.objects.filter(proposal=proposal).select_related("author")


def newcomers_waiting(group, version):
    """Current members who have not answered the current version yet."""
    if version is None:
        return Membership.objects.none()
    answered = Agreement.objects.filter(version=version, content_hash=version.content_hash).values(
        "user_id"
    )
    return (
        Membership.objects.current()
        .filter(group=group)
        .exclude(user_id__in=answered)
        .select_related("user")
        .order_by(Lower("user__display_name"))
    )


def agreed_user_ids(version) -> set:
    """Who agreed to exactly the words of `version` (members or not)."""
    return set(
        Agreement.objects.filter(
            version=version, answer=Agreement.Answer.AGREE, content_hash=version.content_hash
        ).values_list("user_id", flat=True)
    )


def everyone_agreed(version) -> bool:
    agreed, members = agreement_count(version)
    return members > 0 and agreed == members


def agreement_count(version) -> tuple:
    """(how many current members agreed to exactly the words of `version`, how many
    current members there are)."""
    current = set(
        Membership.objects.current()
        .filter(group=version.group_id)
        .values_list("user_id", flat=True)
    )
    return len(current & agreed_user_ids(version)), len(current)


def talk_requests(version):
    """Every talk request about `version`, oldest first, with who asked and the rule."""
    return (
        TalkRequest.objects.filter(version=version)
        .select_related("member", "rule", "talked_about_by")
        .order_by("created", "id")
    )


def own_talk_requests(version, user) -> list:
    """`user`'s talk requests about `version`, as `talk_requests` gives them."""
    return _own_talks(version=version.pk, user=user.pk)


_own_talks = Prepared(
    lambda version, user: talk_requests(version).filter(member=user), version=int, user=int
)


def open_talk_requests(version):
    return talk_requests(version).open()


def current_member_emails(group_id) -> list:
    return list(
        Membership.objects.current().filter(group=group_id).values_list("user__email", flat=True)
    )


def open_proposal_count(group) -> int:
    counted = _open_proposals.first(group=group.pk)
    return counted or 0


# A count as a row (None when there is none), so that it can be prepared.
_open_proposals = Prepared(
    lambda group: (
        Proposal.objects.filter(group=group, status=Proposal.Status.OPEN)
        .order_by()
        .values("group")
        .annotate(n=Count("pk"))
        .values_list("n", flat=True)
    ),
    group=int,
)


# Reviews and the breach log --------------------------------------------------


def reviews_of(group):
    return Review.objects.filter(group=group).select_related("version", "recorded_by")


def review_with_items(group, review_uuid):
    return (
        Review.objects.filter(group=group, uuid=review_uuid)
        .select_related("version", "recorded_by")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=ReviewItem.objects.select_related("rule").order_by(
                    "rule__position", "rule__id"
                ),
            )
        )
        .first()
    )


def breaches_of(group):
    return (
        Breach.objects.filter(group=group)
        .select_related("recorded_by")
        .prefetch_related(Prefetch("rules", queryset=Rule.objects.order_by("position")))
    )


def rules_flagged_not_working(group, since=None):
    """Rules that breach records said are not working, since the last review."""
    breaches = Breach.objects.filter(group=group, not_working=True)
    if since is not None:
        breaches = breaches.filter(occurred_on__gt=since)
    return Rule.objects.filter(breaches__in=breaches).distinct()
