"""Submitting asks for confirmation; its author may reopen a submitted check for a day.

While a check is reopened it is not submitted: the venue's latest submitted check (the
dashboard's facts, the due date, the critical flag, the checklist beside peers' answers)
is the one before it, and its scores are worked out afresh when it is submitted again.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from groups.models import Membership
from tests.builders import add_member, make_user, submit_data
from venues import services
from venues.facts import reassessment_due, venue_facts
from venues.models import Answer, Assessment


@pytest.fixture
def facilitator(cast, client_for):
    return client_for(cast.facilitator)


def _facts(group):
    (state,) = venue_facts([group.pk])[group.pk].venues
    return state


def test_submit_asks_for_confirmation_first_and_the_question_changes_nothing(
    cast, vn, room, facilitator
):
    assessment = vn.submitted(cast.group_a, room, cast.facilitator, {"private": "no"}, submit=False)
    page = vn.text(facilitator.get(vn.url("assessment", cast.group_a.slug, assessment.uuid)))
    assert "You'll be asked to confirm before it is submitted." in page
    before = vn.state()

    response = facilitator.get(vn.url("submit", cast.group_a.slug, assessment.uuid))

    page = vn.text(response)
    assert f"Submit the check of {room.name}?" in page
    assert "Flag: a critical question was answered No. Submitting flags the venue" in page
    assert vn.question(assessment, "private").text in page.split("Flag:")[1]
    assert "You can reopen it to correct it for a day after you submit it" in page
    assert 'method="post"' in vn.html(response) and "Yes, submit the check" in page
    assert vn.state() == before

    facilitator.post(vn.url("submit", cast.group_a.slug, assessment.uuid), submit_data(assessment))
    assessment.refresh_from_db()
    assert assessment.submitted_at is not None
    assert assessment.first_submitted_at == assessment.submitted_at


def test_the_confirmation_page_of_an_unfinished_check_offers_no_submit_button(
    cast, vn, room, facilitator
):
    assessment = vn.submitted(cast.group_a, room, cast.facilitator, submit=False)
    Answer.objects.filter(assessment=assessment, question__key="private").delete()

    page = vn.text(facilitator.get(vn.url("submit", cast.group_a.slug, assessment.uuid)))

    assert "Some questions still need an answer" in page
    assert "Yes, submit the check" not in page


def test_its_author_reopens_a_check_corrects_it_and_the_scores_are_worked_out_again(
    cast, vn, room, facilitator
):
    earlier = vn.submitted(
        cast.group_a, room, cast.facilitator, when=timezone.now() - timedelta(days=100)
    )
    check = vn.submitted(cast.group_a, room, cast.facilitator, {"private": "no"})
    first = check.first_submitted_at
    assert (check.critical_flag, _facts(cast.group_a).latest) == (True, check)
    page = vn.text(facilitator.get(vn.url("assessment", cast.group_a.slug, check.uuid)))
    assert "you can reopen it to correct it until" in page

    response = facilitator.post(vn.url("reopen", cast.group_a.slug, check.uuid), follow=True)

    check.refresh_from_db()
    assert check.submitted_at is None
    assert (check.reopened_by, check.first_submitted_at) == (cast.facilitator, first)
    assert timezone.now() - check.reopened_at < timedelta(minutes=1)
    assert (check.being_safe_score, check.feeling_safe_score, check.critical_flag) == (
        None,
        None,
        False,
    )
    assert check.answers.get(question__key="private").value == "no"  # answers are kept
    page = vn.text(response)
    assert "The check is open again." in page
    assert "Reopened by Fay Facilitator on" in page
    assert "Submit the check" in page
    # Until it is submitted again, the venue's latest check is the one before it.
    state = _facts(cast.group_a)
    assert (state.latest, state.latest.critical_flag) == (earlier, False)
    assert state.due == reassessment_due(earlier, cast.org_a.reassess_every_months)
    assert vn.text(facilitator.get(vn.url("group", cast.group_a.slug))).count(
        "Carry on with the check"
    )

    # Corrected: the private room was fine after all. Submitted again, scored again.
    question = vn.question(check, "private")
    facilitator.post(
        vn.url("section", cast.group_a.slug, check.uuid, "being_safe"),
        vn.section_data(check, "being_safe"),
    )
    facilitator.post(vn.url("submit", cast.group_a.slug, check.uuid), submit_data(check))

    check.refresh_from_db()
    assert check.answers.get(question=question).value == "yes"
    assert (check.being_safe_score, check.feeling_safe_score) == (100, 100)
    assert check.critical_flag is False
    assert check.submitted_at > first and check.first_submitted_at == first
    assert check.submitted_by == cast.facilitator
    assert _facts(cast.group_a).latest == check


def test_while_reopened_a_check_of_a_venue_never_checked_before_counts_for_nothing(
    cast, vn, room, facilitator
):
    check = vn.submitted(cast.group_a, room, cast.facilitator)
    facilitator.post(vn.url("reopen", cast.group_a.slug, check.uuid))

    state = _facts(cast.group_a)
    assert (state.latest, state.due, state.overdue) == (None, None, True)
    assert not Assessment.objects.submitted().exists()


def _refused(client, vn, cast, check, message=None, status=302):
    before = vn.state()
    response = client.post(vn.url("reopen", cast.group_a.slug, check.uuid))
    assert response.status_code == status
    if message:
        assert message in vn.messages_of(response)
    assert vn.state() == before


def test_only_its_author_may_reopen_a_check(cast, vn, room, client_for):
    other = make_user("Finn Facilitator", "finn@a.test")
    add_member(cast.group_a, other, Membership.Role.FACILITATOR)
    check = vn.submitted(cast.group_a, room, cast.facilitator)

    for someone in (other, cast.coordinator):
        client = client_for(someone)
        page = vn.text(client.get(vn.url("assessment", cast.group_a.slug, check.uuid)))
        assert "Reopen to correct it" not in page
        _refused(client, vn, cast, check, status=403)
    _refused(client_for(cast.peer), vn, cast, check, status=403)
    _refused(client_for(cast.other_coordinator), vn, cast, check, status=404)


def test_a_day_after_its_first_submission_corrections_are_a_new_check(cast, vn, room, facilitator):
    check = vn.submitted(cast.group_a, room, cast.facilitator)
    day_ago = timezone.now() - timedelta(days=1, seconds=1)
    Assessment.objects.filter(pk=check.pk).update(submitted_at=day_ago, first_submitted_at=day_ago)

    page = vn.text(facilitator.get(vn.url("assessment", cast.group_a.slug, check.uuid)))
    assert "Reopen to correct it" not in page
    _refused(facilitator, vn, cast, check, status=403)

    # Reopening and submitting again does not start the day afresh.
    Assessment.objects.filter(pk=check.pk).update(submitted_at=timezone.now())
    check.refresh_from_db()
    assert not cast.facilitator.has_perm("venues.reopen_assessment", check)
    with pytest.raises(services.VenueError, match="for a day after it is submitted"):
        services.reopen_assessment(assessment=check, by=cast.facilitator)


def test_a_check_is_not_reopened_over_a_newer_one(cast, vn, room, facilitator):
    check = vn.submitted(cast.group_a, room, cast.facilitator)
    newer = vn.submitted(cast.group_a, room, cast.facilitator, submit=False)

    _refused(
        facilitator,
        vn,
        cast,
        check,
        "A newer check of this venue is in progress: make your corrections there.",
    )

    facilitator.post(vn.url("submit", cast.group_a.slug, newer.uuid), submit_data(newer))
    _refused(
        facilitator,
        vn,
        cast,
        check,
        "A newer check of this venue has been submitted since this one.",
    )
    # The newer one can be reopened; the venue then has one check in progress again.
    facilitator.post(vn.url("reopen", cast.group_a.slug, newer.uuid))
    assert list(Assessment.objects.in_progress()) == [newer]


def test_a_reopened_check_is_reopened_only_once_at_a_time(cast, vn, room, facilitator):
    check = vn.submitted(cast.group_a, room, cast.facilitator)
    facilitator.post(vn.url("reopen", cast.group_a.slug, check.uuid))
    check.refresh_from_db()

    _refused(facilitator, vn, cast, check, status=403)
    with pytest.raises(services.VenueError, match="nothing to reopen"):
        services.reopen_assessment(assessment=check, by=cast.facilitator)
