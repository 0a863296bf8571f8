"""Reviews of the ground rules, the confidential breach log, and their cron commands."""

import io
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from groundrules import facts as rule_facts
from groundrules import services
from groundrules.models import Breach, Review, ReviewItem, Rule, Rulebook, Version
from groups.dates import add_months
from groups.models import Membership
from groups.services import end_membership
from tests.builders import add_member, at, make_group, make_user


def html_of(response):
    return response.content.decode()


def run(command, **options):
    out = io.StringIO()
    call_command(command, stdout=out, **options)
    return out.getvalue().strip()


def long_date(day):
    return f"{day.day} {day:%B %Y}"


def adopted_on(version, day):
    """Pretend `version` was adopted on `day` (at noon, local time)."""
    moment = timezone.make_aware(timezone.datetime(day.year, day.month, day.day, 12))
    Version.objects.filter(pk=version.pk).update(closed_at=moment)
    version.refresh_from_db()
    return version


@pytest.fixture
def current(cast, gr):
    """Group A's adopted rules (three of them), agreed by both members."""
    return gr.adopt(
        cast.group_a,
        cast.facilitator,
        ["Listen.", "Phones away.", "Stay kind."],
        agreeing=[cast.facilitator, cast.peer],
    )


def review_data(
    version,
    outcome="no_change",
    held_on=None,
    working=None,
    notes=None,
    participants=4,
    review_notes="",
):
    rules = list(version.rules.order_by("position", "id"))
    working = working or ["yes"] * len(rules)
    notes = notes or [""] * len(rules)
    data = {
        "held_on": (held_on or timezone.localdate()).isoformat(),
        "participants": participants,
        "outcome": outcome,
        "notes": review_notes,
    }
    for rule, answer, note in zip(rules, working, notes, strict=True):
        data[f"rule_{rule.pk}_working"] = answer
        data[f"rule_{rule.pk}_notes"] = note
    return data


# Reviews -------------------------------------------------------------------------------


def test_overdue_review_is_flagged_in_words_and_recording_one_moves_the_next(
    cast, client_for, gr, current
):
    group, today = cast.group_a, timezone.localdate()
    adopted_on(current, today - timedelta(days=240))  # about 8 months ago; reviewed every 6
    was_due = add_months(current.closed_at.date(), 6)
    assert rule_facts.rules_facts([group.pk])[group.pk].next_review == was_due < today

    for user in (cast.facilitator, cast.peer):
        client = client_for(user)
        page = html_of(client.get(gr.url("reviews", group)))
        assert f"<strong>Overdue:</strong> the next review was due on {long_date(was_due)}." in page
        home = html_of(client.get(gr.url("home", group)))
        assert "<strong>Review overdue:</strong>" in home and long_date(was_due) in home

    client = client_for(cast.facilitator)
    response = client.post(
        gr.url("review_new", group),
        review_data(current, review_notes="All fine.", notes=["", "People forget sometimes.", ""]),
    )
    assert response.status_code == 302 and response["Location"] == gr.url("reviews", group)
    review = Review.objects.get()
    assert (
        review.group,
        review.version,
        review.held_on,
        review.participants,
        review.outcome,
        review.notes,
        review.recorded_by,
    ) == (group, current, today, 4, Review.Outcome.NO_CHANGE, "All fine.", cast.facilitator)
    assert sorted(review.items.values_list("rule__text", "working", "notes")) == [
        ("Listen.", "yes", ""),
        ("Phones away.", "yes", "People forget sometimes."),
        ("Stay kind.", "yes", ""),
    ]

    now_due = add_months(today, 6)
    assert rule_facts.rules_facts([group.pk])[group.pk].next_review == now_due
    page = html_of(client.get(gr.url("reviews", group)))
    assert f"Next review due by {long_date(now_due)}." in page
    assert "Overdue" not in page
    assert f"Review on {long_date(today)}" in page and "4 people took part" in page
    assert "Review overdue" not in html_of(client.get(gr.url("home", group)))
    assert Version.objects.filter(group=group).count() == 1  # no change: no new draft

    detail = html_of(client.get(gr.url("review", group, review.uuid)))
    assert re.search(
        r"Phones away\..*Yes, it is working</strong>\. People forget sometimes\.", detail, re.S
    )


def test_review_interval_changes_when_the_next_review_falls_due(cast, client_for, gr, current):
    group = cast.group_a
    adopted_on(current, timezone.localdate() - timedelta(days=120))  # about 4 months ago
    client = client_for(cast.facilitator)
    assert "Overdue" not in html_of(client.get(gr.url("reviews", group)))
    response = client.post(gr.url("reviews", group), {"review_every_months": "3"})
    assert response.status_code == 302
    assert Rulebook.objects.get(group=group).review_every_months == 3
    assert "<strong>Overdue:</strong>" in html_of(client.get(gr.url("reviews", group)))

    before = gr.state()
    assert (
        client_for(cast.peer)
        .post(gr.url("reviews", group), {"review_every_months": "12"})
        .status_code
        == 403
    )
    assert gr.state() == before


def test_a_revise_outcome_starts_a_draft_noting_the_rules_that_are_not_working(
    cast, client_for, gr, current
):
    group = cast.group_a
    client = client_for(cast.facilitator)
    response = client.post(
        gr.url("review_new", group),
        review_data(
            current,
            outcome="revise",
            working=["yes", "no", "not_sure"],
            notes=["", "People forget.", "Unclear wording."],
            review_notes="Mixed.",
        ),
    )
    assert response.status_code == 302 and response["Location"] == gr.url("draft", group)
    draft = Version.objects.get(group=group, status=Version.Status.DRAFT)
    assert draft.based_on == current
    assert list(draft.rules.order_by("position").values_list("text", flat=True)) == [
        "Listen.",
        "Phones away.",
        "Stay kind.",
    ]
    assert "- Phones away.: No, it is not working. People forget." in draft.notes
    assert "- Stay kind.: Not sure. Unclear wording." in draft.notes
    assert "Mixed." in draft.notes
    assert "Listen." not in draft.notes  # it is working: not listed
    page = html_of(client.get(gr.url("draft", group)))
    assert "Notes for this draft" in page and "Phones away.: No, it is not working." in page
    review = Review.objects.get()
    assert review.outcome == Review.Outcome.REVISE
    assert ReviewItem.objects.filter(review=review).count() == 3


def test_only_facilitators_record_reviews(cast, client_for, gr, current):
    before = gr.state()
    for user in (cast.peer, cast.coordinator):
        response = client_for(user).post(gr.url("review_new", cast.group_a), review_data(current))
        assert response.status_code == 403
    assert gr.state() == before


def test_rules_flagged_not_working_in_breaches_since_the_last_review_show_on_the_form(
    cast, client_for, gr
):
    group, today = cast.group_a, timezone.localdate()
    first = gr.adopt(
        group,
        cast.facilitator,
        ["Listen.", "Phones away.", "Stay kind."],
        agreeing=[cast.facilitator, cast.peer],
    )
    listen, phones, kind = first.rules.order_by("position")
    services.record_review(
        group=group,
        by=cast.facilitator,
        held_on=today - timedelta(days=60),
        participants=3,
        outcome="no_change",
        notes="",
        items={r: ("yes", "") for r in (listen, phones, kind)},
    )

    def breach(rule, days_ago, not_working):
        services.record_breach(
            group=group,
            by=cast.facilitator,
            occurred_on=today - timedelta(days=days_ago),
            rules=[rule],
            what_happened="Something.",
            response_taken="A reminder.",
            follow_up="",
            not_working=not_working,
        )

    breach(listen, 30, True)  # since the last review, against version 1's rule
    breach(phones, 90, True)  # before the last review: already dealt with
    breach(kind, 10, False)  # broken, but the rule itself is fine

    # Version 2 carries the same rules (same lineage): the flag follows the rule.
    second = gr.adopt(group, cast.facilitator, None, agreeing=[cast.facilitator, cast.peer])
    assert second.number == 2
    listen2, phones2, kind2 = second.rules.order_by("position")
    page = html_of(client_for(cast.facilitator).get(gr.url("review_new", group)))
    assert "Since the last review, 1 rule was marked as not working in practice" in page
    assert re.search(
        rf'id="id_rule_{listen2.pk}_working_helptext"[^>]*>\s*A breach record said'
        r" this rule isn't working\.",
        page,
    )
    assert f"id_rule_{phones2.pk}_working_helptext" not in page
    assert f"id_rule_{kind2.pk}_working_helptext" not in page
    assert page.count("A breach record said") == 1


# Breach log ----------------------------------------------------------------------------


def breach_data(rules, **extra):
    data = {
        "occurred_on": timezone.localdate().isoformat(),
        "rules": [r.pk for r in rules],
        "what_happened": "Someone was talked over.",
        "response_taken": "A gentle reminder.",
        "follow_up": "Check in next week.",
        "not_working": "on",
    }
    data.update(extra)
    return data


def test_peers_cannot_see_or_record_breaches(cast, client_for, gr, current):
    breach = services.record_breach(
        group=cast.group_a,
        by=cast.facilitator,
        occurred_on=timezone.localdate(),
        rules=[current.rules.first()],
        what_happened="CONFIDENTIAL note.",
        response_taken="A reminder.",
        follow_up="",
        not_working=False,
    )
    client = client_for(cast.peer)
    before = gr.state()
    response = client.get(gr.url("breaches", cast.group_a))
    assert response.status_code == 403 and "CONFIDENTIAL" not in html_of(response)
    assert (
        client.post(gr.url("breaches", cast.group_a), breach_data(current.rules.all())).status_code
        == 403
    )
    assert client.post(gr.url("breach_delete", cast.group_a, breach.uuid)).status_code == 403
    assert gr.state() == before
    home = html_of(client.get(gr.url("home", cast.group_a)))
    assert "Breach log" not in home and gr.url("breaches", cast.group_a) not in home


@pytest.mark.parametrize("role", ["facilitator", "coordinator"])
def test_facilitators_and_the_coordinator_see_and_record_breaches(
    cast, client_for, gr, current, role
):
    user = getattr(cast, role)
    listen, phones, _kind = current.rules.order_by("position")
    services.record_breach(
        group=cast.group_a,
        by=cast.facilitator,
        occurred_on=timezone.localdate(),
        rules=[listen],
        what_happened="An earlier record.",
        response_taken="A reminder.",
        follow_up="",
        not_working=False,
    )
    client = client_for(user)
    page = html_of(client.get(gr.url("breaches", cast.group_a)))
    assert "An earlier record." in page
    assert "Records are deleted automatically after 12 months." in page

    response = client.post(gr.url("breaches", cast.group_a), breach_data([phones]))
    assert response.status_code == 302
    breach = Breach.objects.get(what_happened="Someone was talked over.")
    assert (breach.group, breach.recorded_by, breach.not_working, breach.follow_up) == (
        cast.group_a,
        user,
        True,
        "Check in next week.",
    )
    assert list(breach.rules.all()) == [phones]
    page = html_of(client.get(gr.url("breaches", cast.group_a)))
    assert re.search(
        r"Rule not working in practice</strong></p>\s*<p[^>]*><strong>Rules:</strong>"
        r" “Phones away\.”",
        page,
    )


def test_breach_rules_offered_are_the_current_versions_only(cast, client_for, gr):
    group = cast.group_a
    gr.adopt(group, cast.facilitator, ["Old rule."], agreeing=[cast.facilitator, cast.peer])
    current = gr.adopt(
        group, cast.facilitator, ["Listen.", "Phones away."], agreeing=[cast.facilitator, cast.peer]
    )
    draft_rule = gr.draft(group, cast.facilitator, ["Draft rule."]).rules.get()
    old_rule = Version.objects.get(group=group, number=1).rules.get()
    other_rule = gr.adopt(cast.group_b, cast.other_peer, ["Group B rule."]).rules.get()
    client = client_for(cast.facilitator)

    page = html_of(client.get(gr.url("breaches", group)))
    offered = set(re.findall(r'name="rules" value="(\d+)"', page))
    assert offered == {str(r.pk) for r in current.rules.all()}
    for absent in ("Old rule.", "Draft rule.", "Group B rule."):
        assert absent not in page

    before = gr.state()
    for intruder in (other_rule, draft_rule, old_rule):
        response = client.post(gr.url("breaches", group), breach_data([intruder]))
        assert response.status_code == 200
        assert f"Select a valid choice. {intruder.pk} is not one of the available choices." in (
            html_of(response)
        )
    assert gr.state() == before


def test_purge_deletes_only_records_older_than_the_organisations_retention(cast, gr):
    """By the day a record was made: the date typed for what happened doesn't matter."""
    today = timezone.localdate()
    cast.org_b.breach_retention_months = 3
    cast.org_b.save()
    rule_a = gr.adopt(cast.group_a, cast.facilitator, ["Listen."]).rules.get()
    rule_b = gr.adopt(cast.group_b, cast.other_peer, ["Be kind."]).rules.get()
    cutoff_a, cutoff_b = add_months(today, -12), add_months(today, -3)

    def breach(group, rule, recorded_on, label, occurred_on=None):
        made = services.record_breach(
            group=group,
            by=None,
            occurred_on=occurred_on or recorded_on,
            rules=[rule],
            what_happened=label,
            response_taken="A reminder.",
            follow_up="",
            not_working=False,
        )
        Breach.objects.filter(pk=made.pk).update(created=at(recorded_on, hour=0))
        return made

    breach(cast.group_a, rule_a, cutoff_a - timedelta(days=1), "A expired")
    breach(cast.group_a, rule_a, cutoff_a, "A last day kept")
    breach(cast.group_a, rule_a, cutoff_b - timedelta(days=1), "A kept, older than B's limit")
    breach(cast.group_b, rule_b, cutoff_b - timedelta(days=1), "B expired")
    breach(cast.group_b, rule_b, cutoff_a - timedelta(days=30), "B long expired")
    breach(cast.group_b, rule_b, cutoff_b, "B last day kept")
    # A far-future date typed in does not keep an old record ...
    far = timezone.datetime(9999, 12, 31).date()
    breach(cast.group_a, rule_a, cutoff_a - timedelta(days=1), "A far date", occurred_on=far)
    # ... and a record made today about something long ago is kept for its full period.
    breach(cast.group_a, rule_a, today, "A recorded today", occurred_on=cutoff_a - timedelta(400))

    assert (
        purge_line(run("housekeeping"))
        == "4 breach records past their organisation's retention period deleted"
    )
    assert sorted(Breach.objects.values_list("what_happened", flat=True)) == [
        "A kept, older than B's limit",
        "A last day kept",
        "A recorded today",
        "B last day kept",
    ]
    assert Breach.rules.through.objects.count() == 4  # their links went with them
    assert Rule.objects.filter(pk__in=[rule_a.pk, rule_b.pk]).count() == 2  # rules stay
    assert (
        purge_line(run("housekeeping"))
        == "0 breach records past their organisation's retention period deleted"
    )


def purge_line(output):
    return next(line for line in output.splitlines() if "breach records" in line)


BASE = "https://safespace.test/"


def test_send_review_reminders_emails_facilitators_of_due_groups_once(cast, gr, mailoutbox):
    today = timezone.localdate()
    long_ago = today - timedelta(days=220)  # due: 6-monthly review was a month ago
    # Group A: due. A second, former, facilitator must not be emailed.
    adopted_on(gr.adopt(cast.group_a, cast.facilitator, ["Listen."]), long_ago)
    former = make_user("Fred Former")
    add_member(cast.group_a, former, Membership.Role.FACILITATOR)
    end_membership(Membership.objects.get(user=former), ending=Membership.Ending.LEFT)
    # Group B: adopted today, not due.
    gr.adopt(cast.group_b, cast.other_peer, ["Be kind."])
    # Group C: due, with two facilitators.
    group_c = make_group(cast.org_a, "Group C")
    fac_c1, fac_c2, peer_c = (make_user(n) for n in ("Cal One", "Cas Two", "Cy Peer"))
    add_member(group_c, fac_c1, Membership.Role.FACILITATOR)
    add_member(group_c, fac_c2, Membership.Role.FACILITATOR)
    add_member(group_c, peer_c)
    adopted_on(gr.adopt(group_c, fac_c1, ["Stay kind."]), long_ago)
    # Group D: due, but archived.
    group_d = make_group(cast.org_a, "Group D", archived_at=timezone.now())
    fac_d = make_user("Dee Archived")
    add_member(group_d, fac_d, Membership.Role.FACILITATOR)
    adopted_on(gr.adopt(group_d, fac_d, ["Old."]), long_ago)
    # Group E: due by the dates, but reviewed last week.
    group_e = make_group(cast.org_a, "Group E")
    fac_e = make_user("Eve Reviewed")
    add_member(group_e, fac_e, Membership.Role.FACILITATOR)
    version_e = adopted_on(gr.adopt(group_e, fac_e, ["Listen."]), long_ago)
    services.record_review(
        group=group_e,
        by=fac_e,
        held_on=today - timedelta(days=7),
        participants=2,
        outcome="no_change",
        notes="",
        items={r: ("yes", "") for r in version_e.rules.all()},
    )

    assert run("send_review_reminders", base_url=BASE) == "Sent 3 review reminders."
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [cast.facilitator.email, fac_c1.email, fac_c2.email]
    )
    for message in mailoutbox:
        assert len(message.to) == 1
        for name in ("Group A", "Group C", "Riverside"):
            assert name not in message.subject and name not in message.body
    body_for = {m.to[0]: m.body for m in mailoutbox}
    assert (
        f"https://safespace.test{gr.url('reviews', cast.group_a)}"
        in body_for[cast.facilitator.email]
    )
    assert f"https://safespace.test{gr.url('reviews', group_c)}" in body_for[fac_c1.email]
    for peer in (cast.peer, peer_c, cast.other_peer, former, fac_d, fac_e):
        assert all(peer.email not in m.to for m in mailoutbox)

    assert run("send_review_reminders", base_url=BASE) == "Sent 0 review reminders."
    assert len(mailoutbox) == 3


# Only a review clears an overdue review; "no change" must be true ---------------------


def test_adopting_a_new_version_leaves_an_overdue_review_overdue(
    cast, client_for, gr, current, mailoutbox
):
    group, today = cast.group_a, timezone.localdate()
    adopted_on(current, today - timedelta(days=240))  # reviewed every 6 months: overdue
    was_due = add_months(today - timedelta(days=240), 6)
    newer = gr.adopt(
        group, cast.facilitator, ["Listen.", "Phones on silent."], agreeing=[cast.peer]
    )
    assert newer.closed_at.date() == today

    facts = rule_facts.rules_facts([group.pk])[group.pk]
    assert (facts.current, facts.next_review, facts.review_overdue) == (newer, was_due, True)
    home = html_of(client_for(cast.peer).get(gr.url("home", group)))
    assert "<strong>Review overdue:</strong>" in home and long_date(was_due) in home
    assert run("send_review_reminders", base_url="https://example.test").startswith("Sent 1 ")

    # The review of the new version is what clears it.
    client_for(cast.facilitator).post(gr.url("review_new", group), review_data(newer))
    facts = rule_facts.rules_facts([group.pk])[group.pk]
    assert (facts.next_review, facts.review_overdue) == (add_months(today, 6), False)


def test_a_new_groups_first_review_counts_from_its_first_rules(cast, gr, current):
    group, today = cast.group_a, timezone.localdate()
    adopted_on(current, today - timedelta(days=30))
    gr.adopt(group, cast.facilitator, ["Listen."], agreeing=[])
    due = add_months(today - timedelta(days=30), 6)
    assert rule_facts.rules_facts([group.pk])[group.pk].next_review == due


def test_no_change_is_refused_while_a_rule_is_marked_not_working_without_a_note(
    cast, client_for, gr, current
):
    group = cast.group_a
    listen, phones, kind = current.rules.order_by("position")
    client = client_for(cast.facilitator)
    before = gr.state()
    data = review_data(current, working=["yes", "no", "no"], notes=["", "", ""])
    response = client.post(gr.url("review_new", group), data)
    page = html_of(response)
    assert response.status_code == 200 and gr.state() == before
    assert (
        "“No change” means the rules are working, but rules 2, 3 are marked as not working." in page
    )
    assert "You marked rule 2 as not working. Say why it stays as it is" in page
    assert "You marked rule 3 as not working." in page

    # "Not sure" needs no note; a rule not working with a note may stay as it is.
    data = review_data(current, working=["not_sure", "no", "yes"], notes=["", "Give it time.", ""])
    assert client.post(gr.url("review_new", group), data).status_code == 302
    review = Review.objects.get()
    assert review.outcome == Review.Outcome.NO_CHANGE
    assert review.items.get(rule=phones).notes == "Give it time."
    assert Version.objects.filter(group=group).count() == 1


def test_revise_needs_no_note_for_a_rule_that_is_not_working(cast, client_for, gr, current):
    client = client_for(cast.facilitator)
    data = review_data(current, outcome="revise", working=["yes", "no", "yes"])
    response = client.post(gr.url("review_new", cast.group_a), data)
    assert response["Location"] == gr.url("draft", cast.group_a)
    assert Review.objects.get().items.filter(working="no").count() == 1


# The breach form offers the agreed responses ------------------------------------------


@pytest.fixture
def responses(cast, gr):
    """Group A's rules: two share one agreed response, one has its own, one has none."""
    return gr.adopt(
        cast.group_a,
        cast.facilitator,
        [
            ("Listen.", "respect", "", "A quiet word at the break."),
            ("Phones away.", "phones", "", "A reminder from the facilitator."),
            ("Stay kind.", "respect", "", "A quiet word at the break."),
            ("Be on time.", "other"),
        ],
        agreeing=[cast.facilitator, cast.peer],
    ).rules.order_by("position")


def test_the_breach_form_offers_each_agreed_response_and_something_else(
    cast, client_for, gr, responses
):
    listen, phones, kind, on_time = responses
    page = html_of(client_for(cast.facilitator).get(gr.url("breaches", cast.group_a)))
    offered = re.findall(r'name="response" value="([^"]*)"', page)
    assert offered == [str(listen.pk), str(phones.pk), "else"]
    assert "A quiet word at the break. (agreed for “Listen.”, “Stay kind.”)" in page
    assert "A reminder from the facilitator. (agreed for “Phones away.”)" in page
    assert "Something else" in page


def test_a_breach_records_the_agreed_response_chosen(cast, client_for, gr, responses):
    listen, phones, kind, on_time = responses
    client = client_for(cast.facilitator)
    data = breach_data([kind], response=str(listen.pk), response_taken="")
    assert client.post(gr.url("breaches", cast.group_a), data).status_code == 302
    breach = Breach.objects.get()
    assert (breach.agreed_response, breach.response_taken) == ("A quiet word at the break.", "")
    page = html_of(client.get(gr.url("breaches", cast.group_a)))
    assert "<strong>Response:</strong> the agreed response (“A quiet word at the break.”)" in page

    # The agreed response and something more.
    data = breach_data([phones], response=str(phones.pk), response_taken="And a check-in.")
    client.post(gr.url("breaches", cast.group_a), data)
    breach = Breach.objects.get(rules=phones)
    assert (breach.agreed_response, breach.response_taken) == (
        "A reminder from the facilitator.",
        "And a check-in.",
    )
    assert "Also: And a check-in." in html_of(client.get(gr.url("breaches", cast.group_a)))


def test_something_else_needs_words_and_an_agreed_response_needs_its_rule(
    cast, client_for, gr, responses
):
    listen, phones, kind, on_time = responses
    client = client_for(cast.facilitator)
    before = gr.state()
    for data, message in [
        (
            breach_data([on_time], response="else", response_taken=" "),
            "Choose the agreed response, or say what was done.",
        ),
        (
            breach_data([on_time], response_taken=""),
            "Choose the agreed response, or say what was done.",
        ),
        (
            breach_data([on_time], response=str(phones.pk), response_taken=""),
            "That is the agreed response to a rule you haven&#x27;t ticked.",
        ),
        (
            breach_data([on_time], response="nonsense", response_taken="x"),
            "Select a valid choice.",
        ),
    ]:
        response = client.post(gr.url("breaches", cast.group_a), data)
        assert response.status_code == 200 and message in html_of(response), data
    assert gr.state() == before

    data = breach_data([on_time], response="else", response_taken="We talked it through.")
    assert client.post(gr.url("breaches", cast.group_a), data).status_code == 302
    breach = Breach.objects.get()
    assert (breach.agreed_response, breach.response_taken) == ("", "We talked it through.")


def test_without_agreed_responses_the_form_asks_only_what_was_done(cast, client_for, gr, current):
    client = client_for(cast.facilitator)
    page = html_of(client.get(gr.url("breaches", cast.group_a)))
    assert 'name="response"' not in page and 'name="response_taken"' in page
    response = client.post(
        gr.url("breaches", cast.group_a), breach_data(current.rules.all(), response_taken="")
    )
    assert "Say what was done." in html_of(response)
    assert not Breach.objects.exists()
