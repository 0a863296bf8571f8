"""Follow-up actions, when a venue falls due for another check, and the reminder emails."""

from datetime import datetime, time, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from groups.dates import add_months
from groups.models import Group, Membership
from tests.builders import add_member, make_user
from venues import services
from venues.models import Action, VenueUse


def local_noon(day):
    return timezone.make_aware(datetime.combine(day, time(12)))


@pytest.fixture
def checked(cast, vn, room):
    """Group A's submitted check of the room: private No (critical), staffed Partly."""
    return vn.submitted(
        cast.group_a,
        room,
        cast.facilitator,
        values={"private": "no", "staffed": "partly"},
        notes={"private": "The walls are thin."},
    )


def _action_data(owner, what="Ask for the back room instead.", due_on=None):
    due_on = due_on or timezone.localdate() + timedelta(days=14)
    return {"what": what, "owner": owner.pk, "due_on": due_on.isoformat()}


def _assert_private_subjects(messages, group):
    for message in messages:
        assert group.name not in message.subject
        assert "Group" not in message.subject
        assert group.name not in message.body


# Making actions -------------------------------------------------------------------------------


def test_a_no_becomes_an_action_and_its_owner_is_emailed(
    cast, vn, checked, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    client = client_for(cast.facilitator)
    url = vn.url("action_new", cast.group_a.slug, checked.uuid, "private")

    form = vn.html(client.get(url))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, _action_data(cast.coordinator))

    action = Action.objects.get()
    assert response["Location"] == vn.url("action", cast.group_a.slug, action.uuid)
    assert (action.answer, action.venue, action.group) == (
        vn.answer_to(checked, "private"),
        checked.venue,
        cast.group_a,
    )
    assert (action.owner, action.created_by, action.status) == (
        cast.coordinator,
        cast.facilitator,
        "open",
    )
    assert action.what == "Ask for the back room instead."
    # the owner is told, without naming the group
    assert [m.to for m in mailoutbox] == [["coordinator@a.test"]]
    assert mailoutbox[0].subject == "A safety action has been given to you on SafeSpace"
    assert f"/groups/{cast.group_a.slug}/venues/" in mailoutbox[0].body
    _assert_private_subjects(mailoutbox, cast.group_a)
    # the form offered the group's facilitators and the coordinators, nobody else
    assert f'value="{cast.facilitator.pk}"' in form and f'value="{cast.coordinator.pk}"' in form
    assert f'<option value="{cast.peer.pk}"' not in form
    assert f'<option value="{cast.other_coordinator.pk}"' not in form
    # the assessment page shows it beside the answer
    page = vn.text(client.get(vn.url("assessment", cast.group_a.slug, checked.uuid)))
    assert "Action: Ask for the back room instead. (Open)" in page


def test_an_owner_who_makes_their_own_action_gets_no_email(
    cast, vn, checked, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    client = client_for(cast.facilitator)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            vn.url("action_new", cast.group_a.slug, checked.uuid, "staffed"),
            _action_data(cast.facilitator, "Ask about staff cover."),
        )

    action = Action.objects.get()
    assert (action.answer.value, action.owner) == ("partly", cast.facilitator)
    assert mailoutbox == []


def test_a_yes_cannot_become_an_action(cast, vn, checked, client_for, mailoutbox):
    client = client_for(cast.facilitator)
    before = vn.state()

    response = client.post(
        vn.url("action_new", cast.group_a.slug, checked.uuid, "welcoming"),
        _action_data(cast.coordinator),
    )

    assert response.status_code == 200
    assert "Only an unsafe or Partly answer can become an action." in vn.messages_of(response)
    assert vn.state() == before and mailoutbox == []
    with pytest.raises(services.VenueError):
        vn.action(checked, "welcoming", cast.facilitator)
    # a question that has no answer at all has nothing to follow up
    assert (
        client.get(vn.url("action_new", cast.group_a.slug, checked.uuid, "nonsense")).status_code
        == 404
    )


def test_the_owner_must_be_a_facilitator_of_the_group_or_a_coordinator(
    cast, vn, checked, client_for, mailoutbox
):
    former = make_user("Former Facilitator", "former@a.test")
    membership = add_member(cast.group_a, former, Membership.Role.FACILITATOR)
    Membership.objects.filter(pk=membership.pk).update(left_at=timezone.now(), ending="left")
    client = client_for(cast.facilitator)
    url = vn.url("action_new", cast.group_a.slug, checked.uuid, "private")
    before = vn.state()

    for outsider in (cast.peer, cast.other_coordinator, cast.other_peer, former):
        response = client.post(url, _action_data(outsider))
        assert response.status_code == 200
        assert "Select a valid choice" in vn.text(response), outsider
    assert vn.state() == before and mailoutbox == []
    # the service refuses too, whatever the caller
    with pytest.raises(services.VenueError, match="facilitators or the coordinators"):
        vn.action(checked, "private", cast.facilitator, owner=cast.peer)
    assert vn.state() == before


def test_an_action_needs_what_and_a_due_date(cast, vn, checked, client_for):
    client = client_for(cast.facilitator)
    before = vn.state()

    response = client.post(
        vn.url("action_new", cast.group_a.slug, checked.uuid, "private"),
        {"what": "", "owner": cast.facilitator.pk, "due_on": ""},
    )

    assert response.status_code == 200
    assert vn.text(response).count("This field is required.") == 2
    assert vn.state() == before


# Closing actions -----------------------------------------------------------------------------


@pytest.mark.parametrize("status, shown", [("done", "Done"), ("wont_do", "Won't do")])
def test_closing_an_action_needs_a_note_and_happens_once(
    cast, vn, checked, client_for, status, shown
):
    action = vn.action(checked, "private", cast.facilitator, owner=cast.coordinator)
    client = client_for(cast.facilitator)
    url = vn.url("action", cast.group_a.slug, action.uuid)

    response = client.post(url, {"status": status, "note": "   "})
    assert response.status_code == 200
    assert "This field is required." in vn.text(response)
    action.refresh_from_db()
    assert (action.status, action.closed_at) == ("open", None)

    response = client.post(url, {"status": status, "note": "Moved to the back room."}, follow=True)
    assert "The action has been closed." in vn.text(response)
    action.refresh_from_db()
    assert action.status == status and action.closed_at is not None
    assert action.closing_note == "Moved to the back room."
    page = vn.text(response)
    assert f"Action {shown}" in page and "Moved to the back room." in page
    assert "Close this action" not in page
    before = vn.state()

    # A second close from a page loaded before the first: refused, and the note given back.
    again = client.post(url, {"status": "done", "note": "Again."})
    assert again.status_code == 302 and again["Location"] == url
    [message] = vn.messages_of(again)
    assert "This action was closed on" in message and "Your note was: “Again.”" in message
    assert vn.state() == before
    with pytest.raises(services.VenueError, match="already been closed"):
        services.close_action(action=action, status="done", note="Again.")
    assert vn.state() == before
    # a closed action leaves the open list
    group_page = vn.text(client.get(vn.url("group", cast.group_a.slug)))
    assert "Follow up private" not in group_page and "No open actions." in group_page


def test_overdue_actions_are_shown_in_words(cast, vn, room, checked, client_for):
    today = timezone.localdate()
    late = vn.action(
        checked, "private", cast.facilitator, what="Fit a lock", due_on=today - timedelta(days=1)
    )
    vn.action(checked, "staffed", cast.facilitator, what="Ask about staff", due_on=today)
    client = client_for(cast.facilitator)

    for url in (vn.url("group", cast.group_a.slug), vn.url("venue", room.uuid)):
        page = vn.text(client.get(url))
        assert f"Fay Facilitator · due {late.due_on:%-d %b %Y} · Overdue" in page, url
        assert f"Fay Facilitator · due {today:%-d %b %Y} · Overdue" not in page, url
        assert page.count("Overdue") == 1, url
    page = vn.text(client.get(vn.url("action", cast.group_a.slug, late.uuid)))
    assert "(overdue)" in page


# When the next check falls due ----------------------------------------------------------------


def test_the_next_check_is_due_the_set_number_of_months_after_submission(
    cast, vn, room, client_for
):
    cast.org_a.reassess_every_months = 6
    cast.org_a.save()
    submitted_on = timezone.localdate() - timedelta(days=40)
    vn.submitted(cast.group_a, room, cast.facilitator, when=local_noon(submitted_on))
    due = add_months(submitted_on, 6)
    facilitator = client_for(cast.facilitator)

    page = vn.text(facilitator.get(vn.url("group", cast.group_a.slug)))
    assert f"Next check due by {due:%-d %b %Y}." in page
    assert "A new check is due now." not in page
    page = vn.text(facilitator.get(vn.url("venue", room.uuid)))
    assert f"Next check Next check due by {due:%-d %b %Y}." in page
    coordinator = client_for(cast.coordinator)
    page = vn.text(coordinator.get(vn.url("library", cast.org_a.slug)))
    assert f"{due:%-d %b %Y}" in page and "Due now" not in page


def test_a_check_older_than_the_interval_is_due_now(cast, vn, room, client_for):
    cast.org_a.reassess_every_months = 3
    cast.org_a.save()
    submitted_on = add_months(timezone.localdate(), -4)
    vn.submitted(cast.group_a, room, cast.facilitator, when=local_noon(submitted_on))
    due = add_months(submitted_on, 3)
    client = client_for(cast.facilitator)

    said = f"A new check was due by {due:%-d %b %Y}."
    assert said in vn.text(client.get(vn.url("group", cast.group_a.slug)))
    assert f"Next check {said}" in vn.text(client.get(vn.url("venue", room.uuid)))


def test_a_critical_no_makes_the_next_check_due_at_once(cast, vn, room, checked, client_for):
    assert checked.critical_flag is True
    client = client_for(cast.facilitator)

    # Right after the check it says what to do, not that a check is due.
    said = "A critical question has an unsafe answer: check again once it is put right."
    page = vn.text(client.get(vn.url("group", cast.group_a.slug)))
    assert said in page
    assert "due now" not in page.lower()
    page = vn.text(client.get(vn.url("venue", room.uuid)))
    assert f"Next check {said}" in page
    page = vn.text(client_for(cast.coordinator).get(vn.url("library", cast.org_a.slug)))
    assert "Critical flag" in page and "Due now" in page


def test_a_venue_never_checked_is_due_now(cast, vn, room, client_for):
    client = client_for(cast.facilitator)

    assert "Not checked yet. A first check is due now." in vn.text(
        client.get(vn.url("group", cast.group_a.slug))
    )
    assert "Next check A first check is due now." in vn.text(client.get(vn.url("venue", room.uuid)))


# Reminder emails -------------------------------------------------------------------------------


def _run():
    out = StringIO()
    call_command("send_venue_reminders", "--base-url", "https://safespace.test/", stdout=out)
    return out.getvalue().strip()


def test_reminders_go_to_owners_of_due_actions_and_facilitators_of_due_venues_once(
    cast, vn, room, mailoutbox
):
    today = timezone.localdate()
    second = make_user("Finn Facilitator", "finn@a.test")
    add_member(cast.group_a, second, Membership.Role.FACILITATOR)
    fine = vn.venue(cast.org_a, "Recently checked", used_by=[cast.group_a])
    recent = vn.submitted(cast.group_a, fine, cast.facilitator, values={"staffed": "partly"})
    # room: never checked, so due from the day the group started meeting there
    overdue = vn.action(recent, "staffed", cast.facilitator, due_on=today - timedelta(days=3))
    due_today = vn.action(recent, "staffed", cast.facilitator, owner=cast.coordinator, due_on=today)
    not_yet = vn.action(recent, "staffed", cast.facilitator, due_on=today + timedelta(days=1))
    closed = vn.action(recent, "staffed", cast.facilitator, due_on=today - timedelta(days=9))
    services.close_action(action=closed, status="done", note="Sorted.")
    # group B meets somewhere due too, but has no facilitator: nobody to tell
    vn.venue(cast.org_b, "Elsewhere Hall", used_by=[cast.group_b])

    assert _run() == "Sent 2 action reminders and 2 reassessment reminders."

    sent = sorted((m.to[0], m.subject) for m in mailoutbox)
    assert sent == [
        ("coordinator@a.test", "Safety actions are due on SafeSpace"),
        ("facilitator@a.test", "A venue check is due on SafeSpace"),
        ("facilitator@a.test", "Safety actions are due on SafeSpace"),
        ("finn@a.test", "A venue check is due on SafeSpace"),
    ]
    assert all(len(m.to) == 1 for m in mailoutbox)  # nobody sees who else was told
    link = f"https://safespace.test/groups/{cast.group_a.slug}/venues/"
    assert all(link in m.body for m in mailoutbox)
    _assert_private_subjects(mailoutbox, cast.group_a)
    recipients = {m.to[0] for m in mailoutbox}
    assert "peer@a.test" not in recipients and "peer@b.test" not in recipients
    assert set(Action.objects.filter(due_reminder_sent=True)) == {overdue, due_today}
    not_yet.refresh_from_db()
    assert not_yet.due_reminder_sent is False
    assert VenueUse.objects.get(venue=room).reminder_sent_for == today
    assert VenueUse.objects.get(venue=fine).reminder_sent_for is None

    # Running again (cron runs daily) sends nothing new.
    assert _run() == "Sent 0 action reminders and 0 reassessment reminders."
    assert len(mailoutbox) == 4


def test_a_new_due_date_brings_a_new_reminder_and_archived_groups_get_none(
    cast, vn, room, mailoutbox
):
    # The group has met there for a week, never checked: due since then.
    week_ago = timezone.now() - timedelta(days=7)
    VenueUse.objects.filter(venue=room).update(created=week_ago)
    _run()
    assert [m.to for m in mailoutbox] == [["facilitator@a.test"]]
    assert VenueUse.objects.get(venue=room).reminder_sent_for == timezone.localdate(week_ago)
    mailoutbox.clear()

    # A check with a critical No: due again at once, so a reminder for that new date.
    vn.submitted(cast.group_a, room, cast.facilitator, values={"private": "no"})
    assert _run() == "Sent 0 action reminders and 1 reassessment reminders."
    assert [(m.to, m.subject) for m in mailoutbox] == [
        (["facilitator@a.test"], "A venue check is due on SafeSpace")
    ]
    assert _run() == "Sent 0 action reminders and 0 reassessment reminders."
    mailoutbox.clear()

    archived = Group.objects.create(
        organisation=cast.org_a, name="Archived", slug="archived", format="in_person"
    )
    add_member(archived, make_user("Ada", "ada@a.test"), Membership.Role.FACILITATOR)
    VenueUse.objects.create(venue=room, group=archived)
    Group.objects.filter(pk=archived.pk).update(archived_at=timezone.now())
    assert _run() == "Sent 0 action reminders and 0 reassessment reminders."
    assert mailoutbox == []
