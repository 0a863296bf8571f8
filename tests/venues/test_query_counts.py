"""Venue pages do a constant number of SQL queries, whatever the number of rows.

Each page is rendered with one of each thing, then the data grows (15 venues,
many assessments, every question answered, many actions) and the page is
rendered again: the count must be the same, and it is pinned in QUERIES so that
any change is seen and explained. The content is checked both times: a page
that does few queries because it shows nothing would be no success.
"""

from datetime import datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from groups.dates import add_months
from groups.models import Membership
from tests.builders import add_member, make_group, make_user
from venues import services
from venues.models import Assessment, Venue, VenueUse

MANY = 15

# Every count starts with 2: the session and the user (on group pages the newcomer check of
# groundrules.middleware reads the group the page reads: no query of its own). Then the
# second-factor gate and the page's own queries.
# The second-factor gate (safespace/accounts/second_factor/middleware.py) adds one query to
# every request of someone signed in but not verified by a second factor, as here.
SECOND_FACTOR = 1
QUERIES = {
    # the organisation; its venues with group and open-action counts; their latest checks
    "library": 5 + SECOND_FACTOR,
    # the group (with the viewer's role); the assessment with its venue and template (its
    # group is the one just read); its questions; its answers; their actions with owners;
    # the group's needs
    "assessment": 8 + SECOND_FACTOR,
    # the venue (scoped to the viewer); its assessments with groups and who submitted; may
    # the viewer edit the library (a coordinator check); the groups meeting there; its open
    # actions with owners and groups (all scoped to the groups the viewer leads)
    "venue": 7 + SECOND_FACTOR,
    # the group (with the viewer's role); its venues; the viewer's feedback receipts; checks
    # in progress; submitted checks; open actions with owners, venues and questions
    "group (facilitator)": 8 + SECOND_FACTOR,
    # the group; its venues; the viewer's feedback receipts
    "group (peer)": 5 + SECOND_FACTOR,
    # the group (with the viewer's role); the assessment with its venue and template; its
    # questions; its answers; the people who may own an action, and whether the viewer is one
    "action form": 8 + SECOND_FACTOR,
    # the organisation; the current template, with its questions (2). Reading never
    # writes: before the first check the defaults are shown without being saved.
    "questions": 5 + SECOND_FACTOR,
}


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries), [q["sql"] for q in queries.captured_queries], response


def _assert_constant(name, client, url, grow, django_assert_num_queries, vn):
    small_count, small_sql, small = _count(client, url)
    assert small_count == QUERIES[name], (
        f"{name}: {small_count} queries with one item, pinned at {QUERIES[name]}:\n"
        + "\n".join(small_sql)
    )
    grow()
    with django_assert_num_queries(small_count):
        large = client.get(url)
    assert large.status_code == 200
    return vn.text(small), vn.text(large)


def _checked(vn, group, venue, by, days_ago, **values):
    day = timezone.localdate() - timedelta(days=days_ago)
    when = timezone.make_aware(datetime.combine(day, time(12)))
    return vn.submitted(group, venue, by, values=values, when=when)


# The venue library ----------------------------------------------------------------------------


def test_library_queries_do_not_grow(cast, vn, client_for, django_assert_num_queries):
    first = vn.venue(cast.org_a, "Venue 00", used_by=[cast.group_a])
    done = _checked(vn, cast.group_a, first, cast.facilitator, 30, staffed="no")
    vn.action(done, "staffed", cast.facilitator)
    vn.venue(cast.org_b, "Elsewhere Hall")  # never shown
    client = client_for(cast.coordinator)

    def grow():
        for i in range(1, MANY):
            kind = Venue.Kind.ONLINE if i % 3 == 0 else Venue.Kind.PHYSICAL
            group = make_group(cast.org_a, f"Group {i:02}")
            venue = vn.venue(cast.org_a, f"Venue {i:02}", kind=kind, used_by=[group, cast.group_a])
            older = _checked(vn, group, venue, cast.coordinator, 400, **{"specific-needs": "no"})
            vn.action(older, "specific-needs", cast.coordinator)
            newer = _checked(
                vn, group, venue, cast.coordinator, i, **{"culturally-appropriate": "partly"}
            )
            closed = vn.action(newer, "culturally-appropriate", cast.coordinator)
            services.close_action(action=closed, status="done", note="Sorted.")
            vn.action(newer, "culturally-appropriate", cast.coordinator)
            services.start_assessment(group=cast.group_a, venue=venue, by=cast.coordinator)

    small, large = _assert_constant(
        "library",
        client,
        vn.url("library", cast.org_a.slug),
        grow,
        django_assert_num_queries,
        vn,
    )

    def row(name, kind, groups, days_ago, being, actions):
        day = timezone.localdate() - timedelta(days=days_ago)
        due = add_months(day, 12)
        return (
            f"{name} {kind} {groups} {day:%-d %b %Y} Being safe {being}% · Feeling safe 100% "
            f"{due:%-d %b %Y} {actions}"
        )

    assert row("Venue 00", "A physical venue", 1, 30, 90, 1) in small
    for i in range(1, MANY):
        online = i % 3 == 0
        kind = "An online platform" if online else "A physical venue"
        # two groups meet there; the latest check (Partly on one question); two open actions
        being = "87.5" if online else "95"
        assert row(f"Venue {i:02}", kind, 2, i, being, 2) in large, i
    assert large.count("Never checked") == 0
    assert "Elsewhere Hall" not in large


# One assessment -------------------------------------------------------------------------------


def test_assessment_page_queries_do_not_grow(cast, vn, room, client_for, django_assert_num_queries):
    assessment = services.start_assessment(group=cast.group_a, venue=room, by=cast.facilitator)
    vn.answer(assessment, "no", notes={"private": "Note 0"}, only={"private", "staffed"})
    client = client_for(cast.facilitator)
    no_keys = ["easy-to-find", "public-transport", "safe-time", "other-users", "welcoming"]

    def grow():
        vn.answer(
            assessment,
            "yes",
            values={key: "no" for key in no_keys} | {"private": "no", "staffed": "no"},
            notes={key: f"Note {key}" for key in no_keys},
        )
        for key in no_keys:
            for n in range(3):
                vn.action(
                    assessment, key, cast.facilitator, owner=cast.coordinator, what=f"Do {key} {n}"
                )

    small, large = _assert_constant(
        "assessment",
        client,
        vn.url("assessment", cast.group_a.slug, assessment.uuid),
        grow,
        django_assert_num_queries,
        vn,
    )

    assert "2 of 10 answered" in small and "Note 0" in small
    assert "10 of 10 answered" in large and "6 of 6 answered" in large
    for key in no_keys:
        assert f"Note {key}" in large
        for n in range(3):
            assert f"Action: Do {key} {n} (Open)" in large


def test_action_form_queries_do_not_grow_with_the_answers(
    cast, vn, room, client_for, django_assert_num_queries
):
    """The answer an action is for is found among the check's answers, each with its
    question read once with the check: not one query per answer (as it was)."""
    assessment = services.start_assessment(group=cast.group_a, venue=room, by=cast.facilitator)
    vn.answer(assessment, "no", only={"staffed"})
    client = client_for(cast.facilitator)

    def grow():  # every question answered, with notes
        vn.answer(assessment, "no", notes={"staffed": "Nobody at the desk", "private": "Glass"})

    small, large = _assert_constant(
        "action form",
        client,
        vn.url("action_new", cast.group_a.slug, assessment.uuid, "staffed"),
        grow,
        django_assert_num_queries,
        vn,
    )
    assert assessment.answers.count() > 10  # every question, where one was
    assert "Nobody at the desk" in large and "Glass" not in large


# A venue's page -------------------------------------------------------------------------------


def test_venue_page_queries_do_not_grow(cast, vn, room, client_for, django_assert_num_queries):
    done = _checked(vn, cast.group_a, room, cast.facilitator, 50, staffed="no")
    vn.action(done, "staffed", cast.facilitator, what="Action 0")
    # A coordinator sees every group's checks and actions at the venue (a facilitator only
    # their own groups': see test_permissions).
    client = client_for(cast.coordinator)
    today = timezone.localdate()

    def grow():
        for i in range(1, MANY):
            group = make_group(cast.org_a, f"Group {i:02}")
            lead = make_user(f"Lead {i}")
            add_member(group, lead, Membership.Role.FACILITATOR)
            VenueUse.objects.create(venue=room, group=group)  # the same room, many groups
            check = _checked(vn, group, room, lead, i, staffed="no")
            vn.action(check, "staffed", lead, what=f"Action {i}", due_on=today - timedelta(days=i))
        services.start_assessment(group=cast.group_a, venue=room, by=cast.facilitator)

    small, large = _assert_constant(
        "venue", client, vn.url("venue", room.uuid), grow, django_assert_num_queries, vn
    )

    assert "Action 0" in small and "Group A · Being safe 90%" in small
    assert "Compare two assessments" not in small
    for i in range(1, MANY):
        assert f"Action {i} High priority · Lead {i} · due" in large
        assert f"Group {i:02} · Being safe 90%" in large
    assert large.count("Overdue") == MANY - 1
    assert "In progress" in large and "Compare two assessments" in large


# A group's venues -----------------------------------------------------------------------------


@pytest.mark.parametrize("viewer", ["facilitator", "peer"])
def test_group_venues_page_queries_do_not_grow(
    cast, vn, room, client_for, django_assert_num_queries, viewer
):
    done = _checked(vn, cast.group_a, room, cast.facilitator, 10, staffed="partly")
    vn.action(done, "staffed", cast.facilitator, what="Action 00")
    client = client_for(getattr(cast, viewer))

    def grow():
        for i in range(1, MANY):
            kind = Venue.Kind.ONLINE if i % 2 else Venue.Kind.PHYSICAL
            venue = vn.venue(
                cast.org_a, f"Venue {i:02}", kind=kind, used_by=[cast.group_a], join_info="Link"
            )
            check = _checked(
                vn, cast.group_a, venue, cast.facilitator, 400 + i, **{"specific-needs": "partly"}
            )
            vn.action(check, "specific-needs", cast.facilitator, what=f"Action {i:02}")
            _checked(vn, cast.group_a, venue, cast.facilitator, i, **{"specific-needs": "no"})
            services.start_assessment(group=cast.group_a, venue=venue, by=cast.facilitator)
            if i % 2:
                services.give_feedback(
                    user=cast.peer,
                    group=cast.group_a,
                    venue=venue,
                    scores=dict.fromkeys(
                        [
                            "welcome",
                            "physically_safe",
                            "safe_to_talk",
                            "time_out",
                            "comfortable_with_others",
                        ],
                        4,
                    ),
                    comment="",
                )

    small, large = _assert_constant(
        f"group ({viewer})",
        client,
        vn.url("group", cast.group_a.slug),
        grow,
        django_assert_num_queries,
        vn,
    )

    assert "Riverside Community Centre" in small
    for i in range(1, MANY):
        assert f"Venue {i:02}" in large
    if viewer == "peer":
        assert large.count("You have answered the “how safe do you feel here” check") == 7
        assert large.count("How safe do you feel here? (anonymous)") == MANY - 7
    else:  # facilitators read the results, so they are not asked
        assert "How safe do you feel here? (anonymous)" not in large
    if viewer == "facilitator":
        assert "Action 00" in small
        for i in range(1, MANY):
            assert f"Action {i:02}" in large
        assert large.count("Carry on with the check") == MANY - 1
        assert large.count("Last checked") == MANY
    else:
        assert "Action" not in large and "Last checked" not in large


# The organisation's questions -----------------------------------------------------------------


def test_question_list_queries_do_not_grow(cast, vn, client_for, django_assert_num_queries):
    client = client_for(cast.coordinator)
    services.ensure_template(cast.org_a)

    def grow():
        for i in range(MANY):
            services.new_template_version(
                organisation=cast.org_a,
                by=cast.coordinator,
                change=lambda qs, i=i: [
                    *qs,
                    type(qs[0])(
                        key=f"extra-{i}",
                        section="feeling_safe",
                        applies_to="both",
                        text=f"Extra question {i}?",
                        position=0,
                    ),
                ],
            )

    small, large = _assert_constant(
        "questions",
        client,
        vn.url("questions", cast.org_a.slug),
        grow,
        django_assert_num_queries,
        vn,
    )

    assert "Version 1." in small and "Extra question" not in small
    assert f"Version {MANY + 1}." in large
    for i in range(MANY):
        assert f"Extra question {i}?" in large


# Saving a section ------------------------------------------------------------------------------


def test_saving_a_section_writes_as_much_for_one_answer_changed_as_for_ten(
    cast, vn, room, client_for
):
    """Changed answers are written in one statement and new ones in another: the save's
    queries do not grow with the number of answers it changes (each one was an UPDATE)."""
    client = client_for(cast.facilitator)
    client.post(vn.url("start", cast.group_a.slug, room.uuid))
    assessment = Assessment.objects.get()
    url = vn.url("section", cast.group_a.slug, assessment.uuid, "being_safe")
    keys = [q.key for q in vn.questions(assessment) if q.section == "being_safe"]
    assert len(keys) == 10

    def save(values):
        data = vn.section_data(assessment, "being_safe", values)
        with CaptureQueriesContext(connection) as queries:
            response = client.post(url, data)
        assert response.status_code == 302
        stored = {a.question.key: a.value for a in assessment.answers.select_related("question")}
        assert {key: stored[key] for key in values} == values
        return len(queries)

    # Ten new answers, then one changed, then ten (a section reads no actions: it shows none).
    assert save(dict.fromkeys(keys, "yes")) == 14
    one = save({**dict.fromkeys(keys, "yes"), keys[0]: "no"})
    ten = save(dict.fromkeys(keys, "partly"))
    assert one == ten == 14, f"{one} queries to change one answer, {ten} to change ten"
