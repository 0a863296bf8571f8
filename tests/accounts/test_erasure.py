"""Deleting one's own account: confirmed with the password (and a code where the person has
an authenticator app); afterwards neither their display name nor their email address is
anywhere in a dump of the whole database (SQLite's iterdump, PostgreSQL's pg_dump), while
what the group needs stays, credited to "a former member". The only coordinator of an
organisation is told to hand it on first.
"""

import os
import subprocess

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import connection
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from groundrules import services as rule_services
from groundrules.models import Agreement, Proposal, ProposalComment
from groups import services
from groups.models import AuditEvent, Concern, Invitation, Membership
from tests.accounts.second_factor import code_for, give_app, password_sign_in, verify
from tests.builders import (
    LINK,
    PASSWORD,
    adopt,
    answer,
    database_state,
    group,
    make_organisation,
    make_user,
    propose,
    put_to_group,
    venue,
)
from tests.pages import html, text
from venues import services as venue_services
from venues.models import FeedbackReceipt

NAME = "Quillon Marsh"
EMAIL = "quillon.marsh@example.test"
COMMENT = "I would rather we talked about phones first."


def _world():
    cora, dan, fay = make_user("Cora"), make_user("Dan"), make_user("Fay")
    quillon = make_user(NAME, EMAIL)
    org = make_organisation("Riverside", coordinators=[cora, dan])
    circle = group(org, "Circle", facilitators=[fay], peers=[quillon])
    other = group(org, "Other Circle", facilitators=[fay])
    v1 = adopt(circle, fay, agreeing=[fay, quillon])
    suggestion = propose(circle, quillon, "Tea at the break.")
    rule_services.add_comment(proposal=suggestion, by=quillon, text="Decaf too, please.")
    rule_services.accept_proposal(proposal=suggestion, by=fay, link=LINK)
    still_open = propose(circle, quillon, "Phones in bags.")
    v2 = put_to_group(circle, fay)
    answer(v2, quillon, "talk", comment=COMMENT)
    services.send_concern(
        group=circle, sender=quillon, to=Concern.To.FACILITATORS, text="Hello.", link=str
    )
    room = venue(org, "The room", used_by=[circle])
    venue_services.give_feedback(
        user=quillon,
        group=circle,
        venue=room,
        scores=dict.fromkeys(("welcome", "physically_safe", "safe_to_talk", "time_out"), 4)
        | {"comfortable_with_others": 4},
        comment="",
    )
    services.invite(
        organisation=org,
        group=other,
        role=Invitation.Role.PEER,
        email=EMAIL,
        invited_by=fay,
        accept_url=lambda token: LINK + token,
    )
    admin = make_user("Ada Admin")
    LogEntry.objects.log_actions(
        admin.pk,
        [get_user_model().objects.get(pk=quillon.pk)],
        CHANGE,
        change_message="[]",
        single_object=True,
    )
    return locals()


def _delete(client, person, sign_in=True, **extra):
    if sign_in:
        client.force_login(person)
    return client.post(reverse("delete_account"), {"password": PASSWORD, **extra})


def _dump() -> str:
    """Every row of every table as the database itself writes it out."""
    if connection.vendor == "sqlite":
        return "\n".join(connection.connection.iterdump())
    settings = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": settings.get("PASSWORD") or ""}
    command = ["pg_dump", "--data-only", "--no-owner", "-h", settings["HOST"] or "127.0.0.1"]
    if settings.get("PORT"):
        command += ["-p", str(settings["PORT"])]
    command += ["-U", settings["USER"] or "postgres", settings["NAME"]]
    return subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout


def _erase_and_check_the_dump(client):
    w = _world()
    before = _dump().lower()
    assert NAME.lower() in before and EMAIL in before  # the dump can see them

    response = _delete(client, w["quillon"])
    assert response.status_code == 302 and response["Location"] == reverse("login")

    dump = _dump().lower()
    for needle in (NAME.lower(), EMAIL, "quillon", "marsh@"):
        assert needle not in dump, f"{needle!r} is still in the database dump"
    return w


def test_after_deletion_a_sqlite_dump_holds_neither_name_nor_email(db, client):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite dump; the PostgreSQL one is the next test")
    _erase_and_check_the_dump(client)


def test_sqlite_zeroes_what_is_deleted_so_the_file_keeps_no_trace(db):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA secure_delete")
        assert cursor.fetchone() == (1,)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_after_deletion_a_pg_dump_holds_neither_name_nor_email(client):
    _erase_and_check_the_dump(client)


def test_the_group_keeps_what_it_needs_credited_to_a_former_member(db, client):
    w = _world()
    quillon, circle, fay = w["quillon"], w["circle"], w["fay"]
    _delete(client, quillon)
    former = get_user_model().objects.get(pk=quillon.pk)

    # The account is emptied and can never be used again.
    assert (former.display_name, former.is_active, former.has_usable_password()) == (
        "a former member",
        False,
        False,
    )
    assert former.email.endswith("@erased.invalid") and str(former) == "a former member"
    assert not client.login(username=EMAIL, password=PASSWORD)
    assert not Membership.objects.current().filter(user=former).exists()
    assert not TOTPDevice.objects.filter(user=former).exists()
    assert not FeedbackReceipt.objects.filter(user=former).exists()

    # The "I agree" that counted towards the adopted version stays; the answer to the
    # version never adopted goes, and so do the words of every answer.
    assert list(Agreement.objects.filter(user=former).values_list("version", "comment")) == [
        (w["v1"].pk, "")
    ]
    assert COMMENT not in repr(list(Agreement.objects.values_list()))
    # Suggestions and comments stay, and say who by as "a former member".
    assert set(Proposal.objects.filter(proposed_by=former).values_list("status", flat=True)) == {
        Proposal.Status.ACCEPTED,
        Proposal.Status.OPEN,
    }
    assert ProposalComment.objects.filter(author=former).count() == 1
    client.force_login(fay)
    page = client.get(reverse("groundrules:proposal", args=[circle.slug, w["suggestion"].uuid]))
    assert "Suggested by a former member" in text(page)
    assert NAME not in html(page)
    # The message stays for its readers, from a former member.
    concern = Concern.objects.get(group=circle)
    assert concern.sender is None and concern.text == "Hello."
    # The invitation to their address forgets it and no longer works.
    invitation = Invitation.objects.get(group=w["other"])
    assert invitation.email == "" and invitation.revoked_at is not None
    # The admin's history no longer shows their name.
    entry = LogEntry.objects.get(
        content_type=ContentType.objects.get_for_model(get_user_model()),
        object_id=str(quillon.pk),
    )
    assert entry.object_repr == "a former member"
    # It is on the audit trail, as about "a former member".
    deleted = AuditEvent.objects.get(action=AuditEvent.Action.ACCOUNT_DELETED)
    assert deleted.subject == former and deleted.organisation is None


def test_deleting_ends_every_session_and_signs_out(db, client):
    w = _world()
    other = type(client)()
    other.force_login(w["quillon"])
    _delete(client, w["quillon"])
    assert not any(
        s.get_decoded().get("_auth_user_id") == str(w["quillon"].pk) for s in Session.objects.all()
    )
    assert other.get(reverse("account")).status_code == 302  # signed out there too
    assert client.get(reverse("account")).status_code == 302


def test_a_wrong_password_changes_nothing_and_counts_as_a_failed_sign_in(db, client):
    w = _world()
    client.force_login(w["quillon"])
    before = database_state("groups", "groundrules", "venues")
    response = _delete(client, w["quillon"], sign_in=False, password="not-my-password")
    assert response.status_code == 200
    assert "That is not your password." in text(response)
    after = database_state("groups", "groundrules", "venues")
    failures = AuditEvent.objects.filter(action=AuditEvent.Action.SIGN_IN_FAILED)
    assert [e.subject for e in failures] == [w["quillon"]]
    after["groups.AuditEvent"] = before["groups.AuditEvent"]
    assert after == before


def test_someone_with_an_authenticator_app_must_give_a_code_too(db, client):
    person = make_user(NAME, EMAIL)
    device = give_app(person)
    password_sign_in(client, person)
    verify(client, code_for(device))
    assert "Code from your authenticator app" in text(client.get(reverse("delete_account")))

    for code in ({}, {"code": "000000"}):
        response = _delete(client, person, sign_in=False, **code)
        assert response.status_code == 200
        person.refresh_from_db()
        assert person.display_name == NAME
    assert "That code did not work." in text(response)

    device.refresh_from_db()
    device.throttle_reset()  # the wrong code made the next try wait a second
    response = _delete(client, person, sign_in=False, code=code_for(device, steps_ahead=1))
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.display_name == "a former member"


def test_the_only_coordinator_is_told_to_hand_on_first_and_nothing_is_deleted(db, client):
    cora, dan = make_user("Cora"), make_user("Dan")
    alone = make_organisation("Hillside", coordinators=[cora])
    make_organisation("Riverside", coordinators=[cora, dan])
    client.force_login(cora)
    page = client.get(reverse("delete_account"))
    assert "You are the only coordinator of this organisation." in text(page)
    assert reverse("groups:coordinators", args=[alone.slug]) in html(page)
    assert 'name="password"' not in html(page)

    before = database_state("groups", "groundrules", "venues")
    response = _delete(client, cora, sign_in=False)
    assert response.status_code == 200
    assert database_state("groups", "groundrules", "venues") == before

    # With a second coordinator, the first can go; the other organisation keeps Dan.
    services_dan = make_user("Dee")
    from groups.models import Coordinator

    Coordinator.objects.create(organisation=alone, user=services_dan)
    assert _delete(client, cora).status_code == 302
    assert not Coordinator.objects.filter(user=cora).exists()
    assert Coordinator.objects.filter(organisation=alone, user=services_dan).exists()


def test_the_page_says_what_goes_and_what_stays(db, client):
    fay = make_user("Fay")
    org = make_organisation(coordinators=[make_user()])
    group(org, "Solo Circle", facilitators=[fay])
    client.force_login(fay)
    page = text(client.get(reverse("delete_account")))
    for words in (
        "What goes",
        "Your display name and email address, everywhere in SafeSpace.",
        'What stays, from "a former member"',
        "they were never linked to you",
        "You are the only facilitator of Solo Circle.",
        "This cannot be undone.",
    ):
        assert words in page
