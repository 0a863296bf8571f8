"""`make drill`'s own parts: a drill that cannot see a lost write or a doubled email
would prove nothing, so its checks are tested here against planted faults."""

import smtplib
from datetime import timedelta
from email.message import EmailMessage

from django.utils import timezone

from drill import checks
from drill.ledger import ACKED, DOUBT, Ledger
from drill.mailsink import Sink
from drill.web import forms
from groups.models import Invitation, OutgoingEmail, hash_token
from tests.builders import answer_to, assess, group, make_organisation, make_user, venue

PAGE = """
<form action="/accounts/logout/" method="post">
  <input type="hidden" name="csrfmiddlewaretoken" value="t1">
</form>
<form method="post">
  <input type="hidden" name="csrfmiddlewaretoken" value="t2">
  <input type="radio" name="answer" value="agree">
  <input type="radio" name="answer" value="talk" checked>
  <textarea name="comment">Said &amp; done</textarea>
  <select name="role">
    <option value="peer">Peer</option><option value="facilitator" selected>F</option>
  </select>
  <div hx-post="/save/q1/" hx-params="q1,q1_note"><input type="radio" name="q1" value="yes"></div>
  <input type="submit" name="go" value="Send">
</form>
"""


def test_a_form_is_read_as_a_browser_would_post_it():
    logout, main = forms(PAGE)
    assert (logout.action, logout.fields, logout.hx) == (
        "/accounts/logout/",
        {"csrfmiddlewaretoken": "t1"},
        {},
    )
    assert main.action == ""
    assert main.fields == {
        "csrfmiddlewaretoken": "t2",
        "answer": "talk",
        "comment": "Said & done",
        "role": "facilitator",
    }
    assert main.choices == {
        "answer": ["agree", "talk"],
        "role": ["peer", "facilitator"],
        "q1": ["yes"],
    }
    assert main.hx == {"/save/q1/": ["q1", "q1_note"]}


def test_the_mail_server_keeps_each_message_with_its_message_id():
    sink = Sink().start()
    try:
        with smtplib.SMTP("127.0.0.1", sink.port, timeout=5) as smtp:
            for n in (1, 2):
                message = EmailMessage()
                message["From"], message["To"], message["Subject"] = "a@x.test", "b@x.test", f"S{n}"
                message["Message-ID"] = f"<id{n}@x.test>"
                message.set_content(".a line that starts with a dot\n")
                smtp.send_message(message)
    finally:
        sink.shutdown()
        sink.server_close()
    assert [(m[0], m[1], m[2]) for m in sink.messages] == [
        ("<id1@x.test>", "b@x.test", "S1"),
        ("<id2@x.test>", "b@x.test", "S2"),
    ]
    assert sink.messages[0][3].startswith(".a line")


def _message(mid, to="someone@x.test"):
    return (f"<{mid}@drill.invalid>", to, "Subject", "Body")


def test_an_email_sent_twice_never_sent_or_never_queued_is_a_problem(db):
    sink = Sink.__new__(Sink)
    sink.messages = [_message("a"), _message("b"), _message("b"), _message("stray")]
    queued, received, problems, _to_resend = checks.emails(sink, {"a", "b", "c"})
    assert (queued, received) == (3, 4)
    assert sorted(problems) == [
        "email b sent 2 times",
        "email c queued, never sent",
        "email stray sent, never queued",
    ]
    sink.messages = [_message("a"), _message("b")]
    assert checks.emails(sink, {"a", "b"})[2:] == ([], [])


def test_an_email_left_in_the_outbox_is_a_problem_unless_the_mail_server_took_it(db):
    """An email the mail server took whose row is still in the outbox (the database went
    away before its deletion was committed) will go out again with the same Message-ID:
    the one case allowed, and reported apart. One never sent is a problem."""
    taken, unsent = (
        OutgoingEmail.objects.create(to=f"{n}@x.test", subject="S", body="B")
        for n in ("taken", "unsent")
    )
    sink = Sink.__new__(Sink)
    sink.messages = [_message("a"), _message(str(taken.pk))]
    _queued, _received, problems, to_resend = checks.emails(
        sink, {"a", str(taken.pk), str(unsent.pk)}
    )
    assert problems == [f"email {unsent.pk} still waiting in the outbox, not sent"]
    assert to_resend == [str(taken.pk)]


def test_an_invited_address_must_get_exactly_one_email(db):
    fay = make_user("Fay")
    made = group(make_organisation(), "G", facilitators=[fay])
    Invitation.objects.create(
        organisation=made.organisation,
        group=made,
        email="invitee-g-1@drill.test",
        invited_by=fay,
        role=Invitation.Role.PEER,
        token_hash=hash_token("t"),
        expires_at=timezone.now() + timedelta(days=1),
    )
    sink = Sink.__new__(Sink)
    sink.messages = []
    assert checks.emails(sink, set())[2] == ["invitee-g-1@drill.test got 0 invitation emails"]


def test_a_lost_acknowledged_answer_is_found_and_a_later_doubtful_one_accepted(db):
    fay = make_user("Fay")
    made = group(make_organisation(), "G", facilitators=[fay])
    check = assess(made, venue(made.organisation, "Hall", used_by=[made]), fay, submit=False)
    stored = answer_to(check, "private")
    url = f"/groups/{made.slug}/assessments/{check.uuid}/questions/private/answer/"
    now = (stored.value, stored.note)
    other = ("no" if stored.value != "no" else "yes", "another note")

    ledger = Ledger()
    ledger.write(ACKED, "venue check answer", url, now)
    assert checks.venue_answers(ledger, "venue check answer") == (1, [])
    ledger.write(DOUBT, "venue check answer", url, other)  # may or may not have landed
    assert checks.venue_answers(ledger, "venue check answer") == (1, [])
    ledger.write(ACKED, "venue check answer", url, other)  # acknowledged, yet not stored
    checked, problems = checks.venue_answers(ledger, "venue check answer")
    assert checked == 1 and problems == [f"answer to private: stored {now}, acknowledged {other}"]
