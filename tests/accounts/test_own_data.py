"""Download my data: a zip with a readable page and a JSON file holding everything kept
about the person, saying what is deliberately not there; made from a single-use link
that expires; its queries do not grow with the data."""

import io
import json
import zipfile
from datetime import timedelta

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from groundrules import services as rule_services
from groups import audit, services
from groups.models import AuditEvent, Concern, Invitation
from safespace.accounts import own_data
from safespace.accounts.downloads import make_download_link
from safespace.accounts.models import DownloadLink
from tests.builders import (
    LINK,
    action,
    adopt,
    assess,
    breach,
    group,
    make_organisation,
    make_user,
    propose,
    venue,
)
from tests.pages import text
from venues import services as venue_services

RULE = "We keep what is said here in the room."
ANONYMOUS = "The stairs frighten me at night."
MESSAGE = "Could we have the window open?"
BREACH_WORDS = "Somebody's story was retold at the bus stop."


def _world():
    cora, fay = make_user("Cora"), make_user("Fay Facilitator", "fay@example.test")
    pat = make_user("Pat Peer", "pat@example.test")
    org = make_organisation("Riverside", coordinators=[cora])
    circle = group(org, "Circle", facilitators=[fay], peers=[pat])
    adopt(circle, fay, [RULE], agreeing=[fay, pat])
    suggestion = propose(circle, pat, "Tea at the break.")
    rule_services.add_comment(proposal=suggestion, by=pat, text="And biscuits.")
    services.send_concern(
        group=circle, sender=pat, to=Concern.To.FACILITATORS, text=MESSAGE, link=str
    )
    room = venue(org, "The room", used_by=[circle])
    venue_services.give_feedback(
        user=pat,
        group=circle,
        venue=room,
        scores=dict.fromkeys(
            ("welcome", "physically_safe", "safe_to_talk", "time_out", "comfortable_with_others"),
            3,
        ),
        comment=ANONYMOUS,
    )
    check = assess(circle, room, fay, values={"staffed": "no"})
    action(check, "staffed", fay, owner=fay, what="Ask for a staffed reception.")
    services.invite(
        organisation=org,
        group=circle,
        role=Invitation.Role.PEER,
        email="invitee@example.test",
        invited_by=fay,
        accept_url=lambda token: LINK + token,
    )
    the_breach = breach(circle, fay, timezone.localdate())
    the_breach.what_happened = BREACH_WORDS
    the_breach.save()
    audit.record(AuditEvent.Action.SIGN_IN_FAILED, subject=fay)
    # An app they began to add (a confirmed one would hold the session at the code page).
    TOTPDevice.objects.create(user=fay, name="Authenticator app", confirmed=False)
    audit.record(AuditEvent.Action.SECOND_FACTOR_REMOVED, actor=fay, target="Passkey")
    return locals()


def _download(client, person):
    client.force_login(person)
    made = client.post(reverse("own_data"))
    assert made.status_code == 200 and "Your download is ready" in text(made)
    token = DownloadLink.objects.get(user=person)  # only its hash is stored ...
    assert len(token.token_hash) == 64
    return made


def _token_from(response) -> str:
    html = response.content.decode()
    start = html.index('name="token" value="') + len('name="token" value="')
    return html[start : html.index('"', start)]


def _files(response):
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    files = {name.split("/")[1]: archive.read(name).decode() for name in archive.namelist()}
    return files["index.html"], json.loads(files["data.json"])


def test_the_download_holds_everything_kept_about_the_person(db, client):
    w = _world()
    fay = w["fay"]
    made = _download(client, fay)
    response = client.post(reverse("own_data_download"), {"token": _token_from(made)})
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    page, data = _files(response)

    assert data["account"]["email"] == "fay@example.test"
    assert data["account"]["display_name"] == "Fay Facilitator"
    assert [(g["group"], g["role"]) for g in data["groups"]["items"]] == [("Circle", "Facilitator")]
    (agreement,) = data["agreements"]["items"]
    assert agreement["answer"] == "I agree" and agreement["text_unchanged_since"] is True
    assert [r["rule"] for r in agreement["rules_agreed"]] == [RULE]  # the exact text
    assert [a["what"] for a in data["actions"]["items"]] == ["Ask for a staffed reception."]
    assert data["venue_checks"]["items"][0]["you_submitted_it"] is True
    assert [i["role"] for i in data["invitations_sent"]["items"]] == ["Peer"]
    assert len(data["breach_records_written"]["items"]) == 1
    events = [e["what"] for e in data["sign_in_and_security_events"]["items"]]
    # The file is built when it is asked for, before it is downloaded: the download itself
    # is on the audit trail, and in the next file.
    assert events == ["Sign-in failed", "Second factor removed"]
    assert data["second_factor"]["authenticator_apps"] == [
        {"name": "Authenticator app", "confirmed": False}
    ]
    assert "Breach record made" in [
        e["what"] for e in data["things_you_did_on_the_audit_trail"]["items"]
    ]
    assert any("anonymous answers" in line for line in data["not_included"])

    # The readable page says the same, and what is deliberately not there.
    for words in ("Fay Facilitator", RULE, "Ask for a staffed reception.", "Sign-in failed"):
        assert words in page
    assert "What is deliberately not here" in page
    # Never someone else's data, what a breach record says, or an anonymous answer.
    for secret in ("invitee@example.test", BREACH_WORDS, ANONYMOUS, "Pat Peer"):
        assert secret not in page and secret not in json.dumps(data)


def test_a_peers_download_holds_their_own_words_but_not_their_anonymous_answer(db, client):
    w = _world()
    made = _download(client, w["pat"])
    page, data = _files(client.post(reverse("own_data_download"), {"token": _token_from(made)}))
    assert [c["message"] for c in data["private_messages_sent"]["items"]] == [MESSAGE]
    assert [s["rule"] for s in data["suggestions"]["items"]] == ["Tea at the break."]
    assert [c["comment"] for c in data["comments"]["items"]] == ["And biscuits."]
    quarters = data["venue_check_answered_in"]["items"]
    assert [(q["group"], q["venue"]) for q in quarters] == [("Circle", "The room")]
    assert ANONYMOUS not in page and ANONYMOUS not in json.dumps(data)


def test_the_link_works_once_only_for_its_owner_and_not_after_it_expires(db, client):
    w = _world()
    fay, pat = w["fay"], w["pat"]
    made = _download(client, fay)
    token = _token_from(made)

    client.force_login(pat)  # someone else holding the token gets nothing
    refused = client.post(reverse("own_data_download"), {"token": token})
    assert refused["Content-Type"].startswith("text/html")
    assert "already been used, or it has expired" in text(refused)

    client.force_login(fay)
    assert client.post(reverse("own_data_download"), {"token": token})["Content-Type"] == (
        "application/zip"
    )
    again = client.post(reverse("own_data_download"), {"token": token})
    assert "already been used, or it has expired" in text(again)
    exported = AuditEvent.objects.filter(action=AuditEvent.Action.DATA_EXPORTED)
    assert [(e.actor, e.organisation) for e in exported] == [(fay, None)]

    late = make_download_link(fay)
    DownloadLink.objects.filter(used_at__isnull=True).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert "has expired" in text(client.post(reverse("own_data_download"), {"token": late}))
    assert client.get(reverse("own_data_download")).status_code == 405


def test_gathering_takes_the_same_queries_for_little_and_much(db):
    w = _world()
    fay, circle = w["fay"], w["circle"]

    def queries():
        with CaptureQueriesContext(connection) as captured:
            own_data.as_zip(fay)
        return len(captured)

    few = queries()
    for n in range(5):
        other = group(w["org"], f"More {n}", facilitators=[fay])
        adopt(other, fay, [f"Rule {n}"], agreeing=[fay])
        propose(circle, fay, f"Idea {n}")
        breach(circle, fay, timezone.localdate())
    assert queries() == few


def test_housekeeping_deletes_used_and_expired_links_only(db):
    person = make_user()
    fresh = make_download_link(person)
    make_download_link(person)
    make_download_link(person)
    links = list(DownloadLink.objects.order_by("pk"))
    DownloadLink.objects.filter(pk=links[1].pk).update(used_at=timezone.now())
    DownloadLink.objects.filter(pk=links[2].pk).update(expires_at=timezone.now())
    call_command("housekeeping", stdout=io.StringIO())
    call_command("housekeeping", stdout=io.StringIO())
    assert list(DownloadLink.objects.all()) == [links[0]]
    assert fresh  # the token itself was never stored
    assert not DownloadLink.objects.filter(token_hash=fresh).exists()


def test_the_file_is_built_in_the_background_and_the_button_waits_for_it(db, client):
    """With a real queue the link is made at once and its file later: pressing the button
    before then says so and does not spend the link; the task builds it once."""
    from django.tasks import task_backends
    from django.test import override_settings

    from safespace.accounts.models import DownloadLink
    from safespace.accounts.tasks import prepare_own_data

    fay = make_user("Fay Waiting")
    client.force_login(fay)
    dummy = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    with override_settings(TASKS=dummy):
        made = client.post(reverse("own_data"))
        queued = list(task_backends["default"].results)
    token = _token_from(made)
    assert [r.task.name for r in queued] == ["prepare_own_data"]

    waiting = client.post(reverse("own_data_download"), {"token": token})
    assert "Your download is still being prepared" in text(waiting)
    assert DownloadLink.objects.get().used_at is None

    (link_id,) = queued[0].args
    assert prepare_own_data.call(link_id) is True
    assert prepare_own_data.call(link_id) is False  # run twice: built once
    ready = client.post(reverse("own_data_download"), {"token": token})
    assert ready["Content-Type"] == "application/zip"
    assert DownloadLink.objects.get().content is None  # emptied once downloaded
