"""Rounds can have a closing date; members who have not answered are reminded
automatically every few days until then (never the person who put the version to the
group, never more often, whoever sends them), and the tracker shows when each was
reminded."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from groundrules import services
from groundrules.models import RoundReminder, Version
from tests.builders import add_member, make_user


def html_of(response):
    return response.content.decode()


def long(day):
    return f"{day.day} {day:%B %Y}"


@pytest.fixture
def round_(cast, gr):
    """Version 1 with group A since four days ago, closing in ten; Sam has agreed, the
    peer and Wren have not answered."""
    sam, wren = make_user("Sam Sharer"), make_user("Wren Waiting")
    for person in (sam, wren):
        add_member(cast.group_a, person)
    draft = gr.draft(cast.group_a, cast.facilitator, ["Listen."])
    version = services.open_round(
        version=draft,
        by=cast.facilitator,
        link=gr.LINK,
        closes_on=timezone.localdate() + timedelta(days=10),
    )
    Version.objects.filter(pk=version.pk).update(round_opened_at=timezone.now() - timedelta(days=4))
    version.refresh_from_db()
    gr.answer(version, sam)
    return version, sam, wren


def test_a_round_is_put_to_the_group_with_a_closing_date(cast, client_for, gr):
    group = cast.group_a
    draft = gr.draft(group, cast.facilitator, ["Listen."])
    client = client_for(cast.facilitator)
    page = html_of(client.get(gr.url("draft", group)))
    assert 'name="closes_on"' in page and "Ask for answers by (optional)" in page
    before = gr.state()
    today = timezone.localdate()
    response = client.post(
        gr.url("round_open", group, draft.number), {"closes_on": today.isoformat()}, follow=True
    )
    assert "Please give a date from" in html_of(response)
    assert gr.state() == before

    closes = today + timedelta(days=14)
    client.post(gr.url("round_open", group, draft.number), {"closes_on": closes.isoformat()})
    draft.refresh_from_db()
    assert (draft.status, draft.closes_on) == (Version.Status.IN_ROUND, closes)
    assert f"Answers are asked for by {long(closes)}." in html_of(
        client.get(gr.url("tracker", group, draft.number))
    )
    assert f"Answers are asked for by {long(closes)}." in html_of(
        client_for(cast.peer).get(gr.url("home", group))
    )


def run(**options):
    out = io.StringIO()
    call_command("send_round_reminders", stdout=out, base_url="https://example.test", **options)
    return out.getvalue().strip()


def test_reminders_go_automatically_every_few_days_until_the_closing_date(
    cast, gr, round_, mailoutbox, django_capture_on_commit_callbacks
):
    version, _sam, wren = round_
    with django_capture_on_commit_callbacks(execute=True):
        assert run() == "Sent 2 reminders to answer the ground rules."
    # Never the facilitator who put it to the group, nor Sam, who has answered.
    assert sorted(m.to[0] for m in mailoutbox) == sorted([cast.peer.email, wren.email])
    link = "https://example.test" + gr.url("answer", cast.group_a, version.number)
    assert all(link in m.body and cast.group_a.name not in m.body for m in mailoutbox)
    assert set(RoundReminder.objects.values_list("member", "sent_by")) == {
        (cast.peer.pk, None),
        (wren.pk, None),
    }
    assert run() == "Sent 0 reminders to answer the ground rules."  # not again so soon

    later = timezone.now() + timedelta(days=3, hours=1)
    gr.answer(version, wren)
    assert services.remind_open_rounds(base_url="https://x.test", now=later) == 1
    assert RoundReminder.objects.filter(member=cast.peer).count() == 2

    # After the closing date, no more reminders.
    assert (
        services.remind_open_rounds(base_url="https://x.test", now=later + timedelta(days=8)) == 0
    )


def test_no_automatic_reminder_in_a_rounds_first_days_or_an_archived_group(cast, gr, round_):
    version, _sam, _wren = round_
    Version.objects.filter(pk=version.pk).update(round_opened_at=timezone.now())
    assert services.remind_open_rounds(base_url="https://x.test") == 0
    Version.objects.filter(pk=version.pk).update(round_opened_at=timezone.now() - timedelta(days=5))
    cast.group_a.archived_at = timezone.now()
    cast.group_a.save()
    assert services.remind_open_rounds(base_url="https://x.test") == 0
    assert not RoundReminder.objects.exists()


def test_a_facilitators_reminder_skips_the_sender_and_anyone_reminded_lately(
    cast, client_for, gr, round_, mailoutbox, django_capture_on_commit_callbacks
):
    version, _sam, wren = round_
    other = make_user("Otto Facilitator")
    add_member(cast.group_a, other, role="facilitator")
    services.remind_open_rounds(base_url="https://x.test")  # the peer and Wren
    mailoutbox.clear()
    client = client_for(other)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(gr.url("remind", cast.group_a, version.number), follow=True)
    # Otto has not answered either, but sent it; the facilitator who opened it is reminded.
    assert "Reminder sent to 1 person." in html_of(response)
    assert [m.to for m in mailoutbox] == [[cast.facilitator.email]]
    response = client.post(gr.url("remind", cast.group_a, version.number), follow=True)
    assert "was reminded in the last few days. Nobody was emailed." in html_of(response)
    assert len(mailoutbox) == 1

    tracker = html_of(client.get(gr.url("tracker", cast.group_a, version.number)))
    today = timezone.localdate()
    for name in ("Pat Peer", "Wren Waiting", "Fay Facilitator"):
        assert f'<th scope="row">{name}</th>' in tracker
        row = tracker[tracker.index(f'<th scope="row">{name}</th>') :]
        assert f"<td>{today.day} {today:%b %Y}</td>" in row[: row.index("</tr>")]
    row = tracker[tracker.index('<th scope="row">Sam Sharer</th>') :]
    assert "Not reminded" in row[: row.index("</tr>")]
