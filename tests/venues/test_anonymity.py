"""Peers' anonymous "how safe do you feel here" check: never tied to who answered.

The promises are in docs/privacy.md. Each section below plays one way a determined
insider could try to break them (differencing, accounts they control, aggregates,
the storage itself) and asserts that nothing is learned; the rest checks how answers
are taken, pooled and released in batches.
"""

import re
import uuid
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, models, transaction
from django.urls import reverse

from groups.dates import add_months, next_quarter, quarter, quarter_start
from groups.models import Membership
from tests import pages
from tests.builders import add_member, long, long_ago, short, today
from tests.builders import feedback as released_builder
from venues import facts, selectors, services
from venues.models import (
    FeedbackReceipt,
    FeedbackRelease,
    PoolCount,
    PooledAnswer,
    ReleasedAnswer,
)

SCORES = ["welcome", "physically_safe", "safe_to_talk", "time_out", "comfortable_with_others"]
NOTHING_YET = (
    "Results appear when at least 3 members who were in the group before this quarter "
    "have answered."
)
_ids = iter(range(7_000_000, 8_000_000))


def answers(*values, comment=""):
    return {**dict(zip(SCORES, values, strict=True)), "comment": comment}


def _person(group, joined_at, name):
    """A peer whose id and email are unlike any other value an answer row could hold."""
    n = next(_ids)
    user = get_user_model().objects.create_user(
        f"anon-{n}@example.test", "correct-horse-battery", id=n, display_name=f"{name} {n}"
    )
    add_member(group, user, joined_at=joined_at)
    return user


def counting(group, name="Counting Peer"):
    """A peer who joined before this quarter began: their answer counts this quarter."""
    return _person(group, long_ago(), name)


def newcomer(group, name="New Account"):
    """A peer who joined today: their answer counts from next quarter."""
    return _person(group, None, name)


def give(user, group, venue, score=3, comment="", day=None, **scores):
    values = {**dict.fromkeys(SCORES, score), **scores}
    services.give_feedback(
        user=user, group=group, venue=venue, scores=values, comment=comment, today=day
    )


def results(group, venue, day=None):
    return facts.released_results([group.pk], day, venue_id=venue.pk, comments=True).get(
        (group.pk, venue.pk)
    )


# What each table can hold ---------------------------------------------------------------------


def _columns(model):
    with connection.cursor() as cursor:
        return {
            c.name
            for c in connection.introspection.get_table_description(cursor, model._meta.db_table)
        }


def test_no_table_of_answers_can_hold_a_person_a_moment_or_a_link(db):
    user_model = get_user_model()
    answer_models = (PooledAnswer, ReleasedAnswer)
    for model in (*answer_models, FeedbackRelease, PoolCount, FeedbackReceipt):
        fields = model._meta.get_fields()
        assert isinstance(model._meta.pk, models.UUIDField), model
        assert model._meta.pk.default is uuid.uuid4, model
        # no created/updated, no time of day anywhere
        assert not [f for f in fields if isinstance(f, models.DateTimeField)], model
    for model in (*answer_models, FeedbackRelease, PoolCount):
        fields = model._meta.get_fields()
        assert not [f for f in fields if f.is_relation and f.related_model is user_model], model
    # a waiting answer: no period, no date; a released one: only its release
    assert {f.name for f in PooledAnswer._meta.get_fields() if f.is_relation} == {
        "group",
        "venue",
    }
    assert _columns(PooledAnswer) == {"id", "group_id", "venue_id", *SCORES, "comment"}
    assert _columns(ReleasedAnswer) == {"id", "release_id", *SCORES, "comment"}
    assert _columns(FeedbackRelease) == {
        "id",
        "group_id",
        "venue_id",
        "period",
        "released_on",
        "answers",
    }
    # which waiting answer counts from when is not kept: only how many
    assert _columns(PoolCount) == {"id", "group_id", "venue_id", "counts_from", "waiting"}
    # the receipt names the person, but no answer, release or date
    assert _columns(FeedbackReceipt) == {"id", "user_id", "group_id", "venue_id", "period"}
    assert not [
        f
        for f in FeedbackReceipt._meta.get_fields()
        if f.is_relation and f.related_model in (*answer_models, FeedbackRelease, PoolCount)
    ]


def test_the_admin_site_shows_none_of_it(db):
    """A site admin browsing the admin sees no receipts, answers, counts or releases."""
    for model in (FeedbackReceipt, PooledAnswer, PoolCount, FeedbackRelease, ReleasedAnswer):
        assert not admin.site.is_registered(model), model


def test_nobody_back_dates_a_membership_in_the_admin(cast, client):
    """When someone joined decides whether their answer counts: the admin shows it but
    offers no field to change it."""
    admin_user = get_user_model().objects.create_superuser("root@example.test", "pw-12345678")
    client.force_login(admin_user)
    url = reverse("admin:groups_group_change", args=[cast.group_a.pk])

    response = client.get(url)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="memberships-0-role"' in html  # the inline is there
    assert 'name="memberships-0-joined_at' not in html


def test_stored_answers_hold_no_trace_of_who_gave_them(cast, vn, room, client_for):
    peers = [counting(cast.group_a) for _ in range(4)]
    for n, peer in enumerate(peers, start=1):
        response = client_for(peer).post(
            vn.url("feedback", cast.group_a.slug, room.uuid),
            answers(n, 5, 4, 3, 2, comment=f"Comment number {n}."),
        )
        assert "Thank you for telling us how you feel" in response.content.decode()

    # three released, the fourth waiting
    assert ReleasedAnswer.objects.count() == 3 and PooledAnswer.objects.count() == 1
    rows = []
    with connection.cursor() as cursor:
        for model in (PooledAnswer, ReleasedAnswer, FeedbackRelease, PoolCount):
            cursor.execute(f"SELECT * FROM {model._meta.db_table}")  # noqa: S608
            rows += cursor.fetchall()
    users = get_user_model().objects.all()
    # The people who answered have ids no score, group or venue id can equal by chance.
    identifying = {value for peer in peers for value in (peer.pk, str(peer.pk))}
    for row in rows:
        for value in row:
            assert value not in identifying
            assert not any(
                str(part) in str(value)
                for user in users
                for part in (user.email, user.display_name)
            )
    assert sorted(FeedbackReceipt.objects.values_list("user_id", flat=True)) == [
        p.pk for p in peers
    ]
    receipt_ids = {str(i) for i in FeedbackReceipt.objects.values_list("id", flat=True)}
    answer_ids = {str(i) for i in PooledAnswer.objects.values_list("id", flat=True)}
    answer_ids |= {str(i) for i in ReleasedAnswer.objects.values_list("id", flat=True)}
    assert not receipt_ids & answer_ids


# Taking an answer ---------------------------------------------------------------------------


def test_a_peer_answers_once_per_period(cast, vn, room, client_for):
    client = client_for(cast.peer)
    url = vn.url("feedback", cast.group_a.slug, room.uuid)
    assert "How safe do you feel at Riverside Community Centre?" in vn.text(client.get(url))

    first = client.post(url, answers(4, 4, 3, 5, 4, comment="Warm and quiet."))

    # The thank-you page comes straight back from the POST: no redirect, no message kept.
    assert first.status_code == 200
    assert "Your answers are anonymous." in vn.text(first)
    waiting = PooledAnswer.objects.get()
    assert [getattr(waiting, f) for f in SCORES] == [4, 4, 3, 5, 4]
    assert waiting.comment == "Warm and quiet."
    assert (waiting.group, waiting.venue) == (cast.group_a, room)
    receipt = FeedbackReceipt.objects.get()
    assert (receipt.user, receipt.period) == (cast.peer, selectors.current_period())
    before = vn.state()

    second = client.post(url, answers(1, 1, 1, 1, 1, comment="Changed my mind."))

    assert second.status_code == 200
    assert "You have already answered this quarter" in vn.text(second)
    assert "You have already answered this quarter" in vn.text(client.get(url))
    with pytest.raises(services.VenueError, match="already answered"):
        give(cast.peer, cast.group_a, room, 1)
    assert vn.state() == before
    page = vn.text(client.get(vn.url("group", cast.group_a.slug)))
    assert "You have answered the “how safe do you feel here” check for this quarter." in page


def test_every_statement_needs_an_answer_from_1_to_5(cast, vn, room, client_for):
    client = client_for(cast.peer)
    url = vn.url("feedback", cast.group_a.slug, room.uuid)

    response = client.post(url, {**answers(4, 4, 3, 5, 4), "welcome": "6", "time_out": ""})

    assert response.status_code == 200
    assert "Select a valid choice. 6 is not one of the available choices." in vn.text(response)
    assert "This field is required." in vn.text(response)
    assert not PooledAnswer.objects.exists() and not FeedbackReceipt.objects.exists()


def test_only_current_peers_answer(cast, vn, room, client_for):
    url = vn.url("feedback", cast.group_a.slug, room.uuid)
    data = answers(3, 3, 3, 3, 3)

    # facilitators read the results, so they don't answer; coordinators aren't members
    assert client_for(cast.facilitator).post(url, data).status_code == 403
    assert client_for(cast.coordinator).post(url, data).status_code == 403
    assert client_for(cast.other_peer).post(url, data).status_code == 404
    membership = Membership.objects.get(user=cast.peer, group=cast.group_a)
    membership.left_at = membership.joined_at
    membership.ending = "left"
    membership.save()
    assert client_for(cast.peer).post(url, data).status_code == 404
    with pytest.raises(services.VenueError, match="Only members"):
        give(cast.peer, cast.group_a, room)
    assert not PooledAnswer.objects.exists() and not FeedbackReceipt.objects.exists()


def test_a_group_that_no_longer_meets_there_takes_no_answer(cast, room):
    services.set_group_venues(group=cast.group_a, venues=[])
    with pytest.raises(services.VenueError, match="no longer meets here"):
        give(counting(cast.group_a), cast.group_a, room)
    assert not PooledAnswer.objects.exists() and not FeedbackReceipt.objects.exists()


# Who counts ---------------------------------------------------------------------------------


def test_a_member_who_joined_this_quarter_is_heard_and_counts_from_the_next(
    cast, vn, room, client_for
):
    """cast.peer joined today: the form says so, the answer is taken and thanked, and it
    waits, counting from next quarter; an older member's form does not say it."""
    url = vn.url("feedback", cast.group_a.slug, room.uuid)
    note = "You joined the group this quarter, so your answer is kept and counts"
    assert note in vn.text(client_for(cast.peer).get(url))
    assert note not in vn.text(client_for(counting(cast.group_a)).get(url))

    response = client_for(cast.peer).post(url, answers(2, 2, 2, 2, 2))

    assert "Your answers are anonymous." in vn.text(response)
    assert PooledAnswer.objects.count() == 1
    assert list(PoolCount.objects.values_list("counts_from", "waiting")) == [
        (next_quarter(today()), 1)
    ]


def test_a_member_counts_from_the_quarter_after_they_joined(cast):
    day = today()
    began = selectors.period_began(day)
    for joined, expected in (
        (began - timedelta(seconds=1), quarter(day)),
        (began, next_quarter(day)),
        (began + timedelta(days=1), next_quarter(day)),
    ):
        Membership.objects.filter(user=cast.peer, group=cast.group_a).update(joined_at=joined)
        assert selectors.counts_from(user=cast.peer, group=cast.group_a, today=day) == expected
    # nobody else's answer counts: not a member, or a former one
    assert selectors.counts_from(user=cast.other_peer, group=cast.group_a, today=day) is None


# Release in batches -------------------------------------------------------------------------


def test_answers_are_released_in_batches_of_3_that_count(cast, room):
    group = cast.group_a
    first, second, third, fourth, fifth, sixth = (counting(group) for _ in range(6))
    give(first, group, room, 5, "The heating is broken.")
    give(second, group, room, 4, "Friendly caretaker.")
    assert results(group, room) is None
    assert not FeedbackRelease.objects.exists()
    assert PooledAnswer.objects.count() == 2

    give(third, group, room, 3)

    release = FeedbackRelease.objects.get()
    assert (release.period, release.released_on, release.answers) == (
        quarter(today()),
        today(),
        3,
    )
    assert not PooledAnswer.objects.exists() and not PoolCount.objects.exists()
    shown = results(group, room)
    assert (shown.count, shown.score, shown.current) == (3, 4.0, True)
    assert sorted(shown.comments) == ["Friendly caretaker.", "The heating is broken."]

    give(fourth, group, room, 1, "Too loud.")
    give(fifth, group, room, 1)
    assert results(group, room) == shown  # two more waiting change nothing

    give(sixth, group, room, 1)

    shown = results(group, room)
    assert (shown.count, shown.score) == (6, 2.5)  # this quarter's two releases together
    assert "Too loud." in shown.comments
    assert FeedbackRelease.objects.count() == 2


def test_released_rows_carry_their_release_never_the_day_answered(cast, room):
    """Answers given on three days are released on the third: no row holds the first two
    days, or any time of day."""
    group = cast.group_a
    start = quarter_start(today())
    days = [start + timedelta(days=3), start + timedelta(days=17), start + timedelta(days=40)]
    for day in days:
        give(counting(group), group, room, 4, day=day)

    assert list(FeedbackRelease.objects.values_list("released_on", "period")) == [
        (days[2], quarter(days[2]))
    ]
    dump = pages.squeeze(repr(list(ReleasedAnswer.objects.values_list())))
    dump += repr(list(FeedbackRelease.objects.values_list()))
    dump += repr(list(FeedbackReceipt.objects.values_list()))
    for day in days[:2]:
        assert repr(day) not in dump and day.isoformat() not in dump


def test_the_daily_job_releases_pools_that_became_due_when_a_quarter_began(cast, room):
    """Two answers that count and one from a newcomer wait; nothing is released this
    quarter however often the job runs. On the first day of the next, the newcomer's
    answer counts too: the job releases the three, once, labelled with the new quarter."""
    group = cast.group_a
    give(counting(group), group, room, 5)
    give(counting(group), group, room, 4)
    give(newcomer(group), group, room, 3)
    assert services.release_due_feedback() == 0
    call_command("release_feedback", stdout=(out := StringIO()))
    assert out.getvalue() == "Released 0 batches of answers.\n"
    assert not FeedbackRelease.objects.exists()

    next_start = add_months(quarter_start(today()), 3)
    assert services.release_due_feedback(today=next_start - timedelta(days=1)) == 0
    assert services.release_due_feedback(today=next_start) == 1
    assert services.release_due_feedback(today=next_start) == 0

    release = FeedbackRelease.objects.get()
    assert (release.period, release.released_on, release.answers) == (
        quarter(next_start),
        next_start,
        3,
    )
    assert not PooledAnswer.objects.exists() and not PoolCount.objects.exists()
    shown = results(group, room, next_start)
    assert (shown.count, shown.score, shown.current) == (3, 4.0, True)


def test_the_daily_job_releases_a_pool_even_where_the_group_no_longer_meets(cast, room):
    """The group stopped meeting there: no more answers are taken, but the waiting ones
    are released as any other pool when enough of them count."""
    group = cast.group_a
    for person in (counting(group), counting(group), newcomer(group)):
        give(person, group, room, 4)
    services.set_group_venues(group=group, venues=[])

    next_start = add_months(quarter_start(today()), 3)
    assert services.release_due_feedback(today=next_start) == 1
    assert FeedbackRelease.objects.get().answers == 3
    assert not PooledAnswer.objects.exists()


def test_fewer_than_3_carry_over_to_the_next_release(cast, room):
    """At the end of a quarter two waiting answers are not released on their own; the
    next quarter's first answer that counts releases all three, under the new quarter."""
    group = cast.group_a
    give(counting(group), group, room, 5)
    give(counting(group), group, room, 5)
    next_start = add_months(quarter_start(today()), 3)
    assert services.release_due_feedback(today=next_start) == 0
    assert results(group, room, next_start) is None

    give(counting(group), group, room, 2, day=next_start + timedelta(days=5))

    release = FeedbackRelease.objects.get()
    assert (release.period, release.answers) == (quarter(next_start), 3)
    assert results(group, room, next_start).score == 4.0


def test_a_newcomers_answer_goes_out_with_the_next_batch_that_counts(cast, room):
    """A newcomer's answer never makes up the 3, but is released with the batch that
    has 3 that count, so it is heard this quarter all the same."""
    group = cast.group_a
    give(newcomer(group), group, room, 1, "New here.")
    give(counting(group), group, room, 5)
    give(counting(group), group, room, 5)
    assert not FeedbackRelease.objects.exists()

    give(counting(group), group, room, 5)

    assert FeedbackRelease.objects.get().answers == 4
    assert results(group, room).comments == ["New here."]


def test_current_results_fall_back_to_the_last_quarter_with_a_release(cast, room):
    group = cast.group_a
    last = add_months(today(), -3)
    released_builder(group, room, 4, score=2, period="2001-Q1", released_on=last)
    released_builder(group, room, 3, score=5, period=quarter(last), released_on=last)

    shown = results(group, room)
    assert (shown.periods, shown.current, shown.count, shown.score) == (
        [quarter(last)],
        False,
        3,
        5.0,
    )
    released_builder(group, room, 3, score=1)
    shown = results(group, room)
    assert (shown.periods, shown.current, shown.count, shown.score) == (
        [quarter(today())],
        True,
        3,
        1.0,
    )
    # a release "from the future" (a clock set wrong) is not the current one
    assert results(group, room, last).periods == [quarter(last)]


# The results page ------------------------------------------------------------------------------


def test_results_page_shows_released_answers_only(cast, vn, room, client_for):
    group = cast.group_a
    url = vn.url("feedback_results", group.slug, room.uuid)
    client = client_for(cast.facilitator)
    give(counting(group), group, room, 5, "The heating is broken.", welcome=1)
    give(counting(group), group, room, 4, "Friendly caretaker.", welcome=1)

    page = vn.text(client.get(url))
    assert NOTHING_YET in page
    shown_part = page.split("How answers are released")[0]
    for hidden in ("answers,", "Average", "Overall", "The heating", "Friendly caretaker."):
        assert hidden not in shown_part, hidden

    give(counting(group), group, room, 3, welcome=1)

    page = vn.text(client.get(url))
    assert f"3 answers, released this quarter (latest release {short(today())})." in page
    assert "Overall: 3.4 out of 5." in page  # welcome 1, the others 5, 4 and 3
    assert "I feel welcome here 1.0" in page
    assert "I feel physically safe getting there and being there 4.0" in page
    assert "I feel safe to talk about difficult experiences 4.0" in page
    assert "There is somewhere I can take a moment away if I need to 4.0" in page
    assert "I feel comfortable with the other people around when we meet 4.0" in page
    assert "The heating is broken." in page and "Friendly caretaker." in page
    assert NOTHING_YET not in page
    for person in get_user_model().objects.exclude(pk=cast.facilitator.pk):
        assert person.display_name not in page


def test_results_page_labels_last_quarters_results(cast, vn, room, client_for):
    last = add_months(today(), -3)
    released_builder(cast.group_a, room, 3, score=2, period=quarter(last), released_on=last)
    page = vn.text(
        client_for(cast.coordinator).get(vn.url("feedback_results", cast.group_a.slug, room.uuid))
    )
    assert f"3 answers, released in {quarter(last)}" in page
    assert (
        f"No answers have been released this quarter yet, so these are the answers released "
        f"in {quarter(last)}." in page
    )


def test_results_are_for_leads_only(cast, vn, room, other_room, client_for):
    for _ in range(3):
        give(counting(cast.group_a), cast.group_a, room, 2, "Secret comment.")
    url = vn.url("feedback_results", cast.group_a.slug, room.uuid)

    assert "Secret comment." in vn.text(client_for(cast.coordinator).get(url))
    assert "Secret comment." in vn.text(client_for(cast.facilitator).get(url))
    denied = client_for(cast.peer).get(url)
    assert denied.status_code == 403 and "Secret comment." not in vn.html(denied)
    for outsider in (cast.other_peer, cast.other_coordinator):
        response = client_for(outsider).get(url)
        assert response.status_code == 404, outsider
        assert "Secret comment." not in vn.html(response)
    anonymous = client_for(None).get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")
    other = vn.url("feedback_results", cast.group_b.slug, room.uuid)
    assert client_for(cast.other_coordinator).get(other).status_code == 404


# Attack 1: differencing ---------------------------------------------------------------------


def every_view(client_for, cast, venues):
    """Every page and file that shows anything derived from peers' answers, as each
    person who may see them sees it (visible text; the CSV as it is)."""
    group, org = cast.group_a, cast.org_a
    views = {}
    for who, person in (("facilitator", cast.facilitator), ("coordinator", cast.coordinator)):
        client = client_for(person)
        for name, url in [
            ("safety", reverse("safety", args=[group.slug])),
            *[
                (f"results {v.name}", reverse("venues:feedback_results", args=[group.slug, v.uuid]))
                for v in venues
            ],
        ]:
            response = client.get(url)
            assert response.status_code == 200, (who, name)
            views[(who, name)] = pages.text(response)
    views[("facilitator", "home")] = pages.text(client_for(cast.facilitator).get(reverse("home")))
    client = client_for(cast.coordinator)
    for name in ("dashboard", "dashboard_print", "trends"):
        response = client.get(reverse(name, args=[org.slug]))
        assert response.status_code == 200, name
        views[("coordinator", name)] = pages.text(response)
    url = reverse("dashboard", args=[org.slug]) + "?sort=peers&order=desc"
    views[("coordinator", "dashboard by peers")] = pages.text(client.get(url))
    views[("coordinator", "csv")] = pages.body(
        client.get(reverse("dashboard_csv", args=[org.slug]))
    )
    return views


def test_differencing_two_views_never_isolates_one_answer(cast, room, client_for):
    """Views are taken before and after every single answer. They stay the same until
    an answer brings the batch to 3 that count; then they change once, by the whole
    batch. An insider comparing any two views learns nothing about one person."""
    group = cast.group_a
    sequence = [
        ("counts", 1, "One."),
        ("counts", 2, "Two."),
        ("newcomer", 5, "New."),
        ("counts", 3, "Three."),  # the batch: 3 that count (and the newcomer's)
        ("counts", 5, "Four."),
        ("newcomer", 1, "New again."),
        ("counts", 4, "Five."),
        ("counts", 2, "Six."),  # the second batch
        ("counts", 1, "Seven."),
    ]
    people = [counting(group) if kind == "counts" else newcomer(group) for kind, *_ in sequence]
    before = every_view(client_for, cast, [room])
    counted_since_release, changes, unreleased = 0, [], []
    for step, (kind, score, comment) in enumerate(sequence):
        give(people[step], group, room, score, comment)
        counted_since_release += kind == "counts"
        unreleased.append(comment)
        after = every_view(client_for, cast, [room])
        changed = sorted(name for name in after if after[name] != before[name])
        if changed:
            changes.append(step)
            assert counted_since_release >= 3, (step, changed)
            counted_since_release, unreleased = 0, []
        for text in after.values():
            shown = text.decode() if isinstance(text, bytes) else text
            assert not [c for c in unreleased if c in shown], step
        before = after
    assert changes == [3, 7]
    assert unreleased == ["Seven."]  # waits, alone: nobody sees it anywhere


# Attack 2: accounts the viewer controls ------------------------------------------------------


def test_accounts_invited_this_quarter_cannot_unlock_a_real_peers_answer(
    cast, vn, room, client_for
):
    """A facilitator invites two addresses of their own and answers with both; one real
    peer answers. Nothing is released, this quarter or by the daily job, and the real
    answer is seen nowhere. When it is released, it is inside a batch of 3 real answers:
    taking away the two they wrote still leaves three people's answers together."""
    group = cast.group_a
    planted = [newcomer(group, "Facilitator's Own") for _ in range(2)]
    real = counting(group, "Real Peer")
    others = [counting(group, "Another Real Peer") for _ in range(2)]
    empty = every_view(client_for, cast, [room])
    for account in planted:
        give(account, group, room, 5, "All fine here.")
    give(real, group, room, 1, "A man waits in the corridor when we leave.")

    assert services.release_due_feedback() == 0
    assert not FeedbackRelease.objects.exists()
    assert every_view(client_for, cast, [room]) == empty

    give(others[0], group, room, 4)
    assert not FeedbackRelease.objects.exists()
    give(others[1], group, room, 2)

    release = FeedbackRelease.objects.get()
    assert release.answers == 5
    shown = results(group, room)
    # What the facilitator can work out: the released sums less the answers they wrote.
    left = {name: shown.sums[name] - 5 * len(planted) for name in SCORES}
    assert shown.count - len(planted) == 3
    assert left == dict.fromkeys(SCORES, 1 + 4 + 2)  # three real people's, together
    page = vn.text(
        client_for(cast.facilitator).get(vn.url("feedback_results", group.slug, room.uuid))
    )
    assert "A man waits in the corridor when we leave." in page  # heard, with the batch


def test_accounts_made_a_quarter_ahead_count_as_privacy_md_says(cast, room):
    """The limit of the rule, written down in docs/privacy.md: accounts that joined
    before the quarter began count. Two planted last quarter plus one real peer this
    quarter make a batch, and the planter can subtract their own answers. The
    coordinator's "who counts" figure on the safety page is how this can be noticed."""
    group = cast.group_a
    planted = [counting(group, "Planted Last Quarter") for _ in range(2)]
    for account in planted:
        give(account, group, room, 5)
    give(counting(group, "Real Peer"), group, room, 1)
    assert FeedbackRelease.objects.get().answers == 3


def test_the_coordinator_sees_who_counts_and_how_many_are_quiet(cast, vn, client_for):
    from groundrules.models import Proposal

    group = cast.group_a
    quiet = [counting(group, "Quiet") for _ in range(2)]
    active = counting(group, "Active")
    newcomer(group)  # joined this quarter: does not count yet
    Proposal.objects.create(group=group, kind="add", text="Tea.", reason="Tea.", proposed_by=active)
    assert quiet
    url = reverse("safety", args=[group.slug])

    page = vn.text(client_for(cast.coordinator).get(url))

    since = long(quarter_start(today()))
    assert f"3 members who joined before {since} count this quarter." in page
    assert "2 of them have taken no part in anything else here" in page
    # cast.peer joined today; the facilitator does not answer: neither counts
    assert "Who counts towards peers' results" not in vn.text(client_for(cast.facilitator).get(url))


def test_who_counts_is_each_groups_own(cast):
    """One prepared query answers for every group: asked for one group then another (and
    back), each gets its own peers, never the other's."""
    from safespace.dashboard.peers import who_counts

    quiet = [counting(cast.group_a, "Quiet A") for _ in range(3)]
    assert quiet
    counting(cast.group_b, "Quiet B")
    a, b, again = who_counts(cast.group_a), who_counts(cast.group_b), who_counts(cast.group_a)
    assert (a.counting, a.quiet) == (again.counting, again.quiet) == (3, 3)
    assert (b.counting, b.quiet) == (1, 1)


# Attack 3: aggregates that skip the threshold ---------------------------------------------------


def test_no_figure_adds_up_answers_that_were_not_released(cast, vn, client_for):
    """Two answers about each of three venues: six answers, none released. The safety
    page, the dashboard (and its sort), its CSV and print view, the homes and each
    venue's results show no score and no count."""
    group = cast.group_a
    venues = [vn.venue(cast.org_a, f"Venue {n}", used_by=[group]) for n in range(3)]
    people = [(counting(group), counting(group)) for _ in venues]
    empty = every_view(client_for, cast, venues)
    for venue, (one, two) in zip(venues, people, strict=True):
        give(one, group, venue, 2, welcome=1)
        give(two, group, venue, 4, welcome=5)

    views = every_view(client_for, cast, venues)

    assert views == empty
    for (_who, name), text in views.items():
        if isinstance(text, bytes):
            continue
        assert "out of 5" not in text and " of 5 (" not in text, name
    assert f"Peers feel safe {NOTHING_YET}" in views[("coordinator", "safety")]
    assert f"Peers: {NOTHING_YET}" in views[("facilitator", "safety")]
    assert "Nothing released yet" in views[("coordinator", "dashboard")]
    csv_row = views[("coordinator", "csv")].decode().splitlines()[1].split(",")
    header = views[("coordinator", "csv")].decode().splitlines()[0].split(",")
    cells = dict(zip(header, csv_row, strict=True))
    assert (
        cells["peers_feeling_safe_of_5"],
        cells["peer_answers"],
        cells["peer_answers_released_in"],
    ) == ("", "", "")
    facts_now = facts.venue_facts([group.pk])[group.pk]
    assert (facts_now.peers, facts_now.feedback_score, facts_now.feedback_count) == (
        None,
        None,
        None,
    )


# Attack 4: the storage itself -------------------------------------------------------------------


def _storage_order(model):
    """The welcome scores of a table's rows in the order its storage keeps them: the
    SQLite dump's INSERT order, or PostgreSQL's physical order (ctid)."""
    table = model._meta.db_table
    if connection.vendor == "sqlite":
        inserts = [
            line
            for line in connection.connection.iterdump(filter=table)
            if line.startswith(f'INSERT INTO "{table}"')
        ]
        position = [c.name for c in _description(model)].index("welcome")
        return [int(_values(line)[position]) for line in inserts]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT welcome FROM {table} ORDER BY ctid")  # noqa: S608
        return [row[0] for row in cursor.fetchall()]


def _description(model):
    with connection.cursor() as cursor:
        return connection.introspection.get_table_description(cursor, model._meta.db_table)


def _values(insert):
    inside = insert[insert.index("VALUES(") + 7 : insert.rindex(")")]
    return [v.strip("'") for v in re.findall(r"'(?:[^']|'')*'|[^,]+", inside)]


def _key_order(model):
    return list(model.objects.order_by("pk").values_list("welcome", flat=True))


RUNS = 36  # the chance that a fair shuffle never puts the first answer in one of three
# places in 36 runs is 3 × (2/3)^36, under 1 in 100,000


def test_neither_storage_order_nor_keys_follow_the_order_people_answered(cast, room):
    """Three people answer in turn (scores 1, 2, 3, so the answer tells who), again and
    again. The receipts are stored in that order; the released rows, in the database's
    own order (the SQLite dump, PostgreSQL's ctid) and by key, are in any order: where
    the first person's answer lies is spread over every place. The same for two
    answers waiting in the pool."""
    group = cast.group_a
    people = [counting(group) for _ in range(3)]
    places = {"released storage": [], "released keys": [], "pool storage": [], "pool keys": []}
    for _ in range(RUNS):
        with transaction.atomic():
            for score, person in enumerate(people[:2], start=1):
                give(person, group, room, score, welcome=score)
            places["pool storage"].append(_storage_order(PooledAnswer).index(1))
            places["pool keys"].append(_key_order(PooledAnswer).index(1))
            give(people[2], group, room, 3, welcome=3)
            assert sorted(_storage_order(ReleasedAnswer)) == [1, 2, 3]
            places["released storage"].append(_storage_order(ReleasedAnswer).index(1))
            places["released keys"].append(_key_order(ReleasedAnswer).index(1))
            transaction.set_rollback(True)
    for name, seen in places.items():
        expected = {0, 1} if name.startswith("pool") else {0, 1, 2}
        assert set(seen) == expected, (name, seen)


def test_a_dump_holds_no_key_time_or_order_shared_by_a_receipt_and_an_answer(cast, room):
    """The whole database as a dump: receipts, waiting and released answers share no key,
    hold no time, and every released row was written at its release with a fresh key."""
    group = cast.group_a
    people = [counting(group) for _ in range(4)]
    for n, person in enumerate(people, start=1):
        give(person, group, room, n, f"Answer {n}.")
    pooled_before = set(PooledAnswer.objects.values_list("pk", flat=True))
    give(newcomer(group), group, room, 5)
    pooled_after = set(PooledAnswer.objects.values_list("pk", flat=True))
    assert len(pooled_after) == 2 and not pooled_before & pooled_after  # fresh keys

    if connection.vendor == "sqlite":
        dump = "\n".join(connection.connection.iterdump())
    else:
        dump = repr(
            [
                list(model.objects.values_list())
                for model in (
                    FeedbackReceipt,
                    PooledAnswer,
                    PoolCount,
                    FeedbackRelease,
                    ReleasedAnswer,
                )
            ]
        )
    receipt_ids = [str(i) for i in FeedbackReceipt.objects.values_list("pk", flat=True)]
    answer_ids = [
        str(i)
        for model in (PooledAnswer, ReleasedAnswer)
        for i in model.objects.values_list("pk", flat=True)
    ]
    for key in receipt_ids:
        assert dump.count(key.replace("-", "")) + dump.count(key) == 1  # only its own row
    for key in answer_ids:
        assert dump.count(key.replace("-", "")) + dump.count(key) == 1


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_postgres_transaction_ids_tie_no_receipt_to_its_answer():
    """On PostgreSQL each row carries the id of the transaction that wrote it (xmin) and
    the command within it (cmin). Each answer is its own transaction here, as in real
    use. Every waiting row carries the latest answer's transaction, and one command, so
    all are alike; every released row carries the release's; no receipt's transaction
    is carried by an answer except the last one's, which all rows of the pool or the
    batch share."""
    from tests.builders import build_cast, venue

    cast = build_cast()
    group = cast.group_a
    room = venue(cast.org_a, "The room", used_by=[group])
    people = [counting(group) for _ in range(5)]

    def system_columns(model):
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT xmin::text, cmin::text FROM {model._meta.db_table}"  # noqa: S608
            )
            return cursor.fetchall()

    def receipt_xmins():
        return [x for x, _c in system_columns(FeedbackReceipt)]

    give(people[0], group, room, 1)
    give(people[1], group, room, 2)
    pool = system_columns(PooledAnswer)
    assert len(pool) == 2 and len(set(pool)) == 1  # one transaction, one command
    assert len(set(receipt_xmins())) == 2
    # the last answer's transaction, carried by the whole pool alike
    assert sum(x == pool[0][0] for x in receipt_xmins()) == 1

    give(people[2], group, room, 3)
    released = system_columns(ReleasedAnswer)
    assert len(released) == 3 and len(set(released)) == 1
    assert not system_columns(PooledAnswer)
    # the batch's transaction is one receipt's, shared by all three answers alike
    assert sum(x == released[0][0] for x in receipt_xmins()) == 1

    give(people[3], group, room, 4)
    give(people[4], group, room, 5)
    pool = system_columns(PooledAnswer)
    assert len(pool) == 2 and len(set(pool)) == 1
    assert pool[0][0] not in {x for x, _c in system_columns(ReleasedAnswer)}
