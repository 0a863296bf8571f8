"""The audit trail: privileged and sensitive actions are recorded (who, what, which object,
when) by the service functions, never with what a breach record or a private message says;
coordinators read their organisation's trail, filtered and in pages; outsiders get 404;
the admin shows it read-only; housekeeping purges it after AUDIT_RETENTION_MONTHS.
"""

import io
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from groundrules import services as rule_services
from groups import audit, services
from groups.models import AuditEvent, Concern, Invitation, Membership, hash_token
from safespace.accounts.second_factor import services as factor_services
from tests.accounts.second_factor import code_for
from tests.builders import (
    LINK,
    PASSWORD,
    adopt,
    make_group,
    make_organisation,
    make_user,
    put_to_group,
)
from tests.pages import html, table_texts, tables
from venues import services as venue_services

A = AuditEvent.Action
BREACH_WORDS = "Sam told the group about Jo's overdose on the bus home."
CONCERN_WORDS = "Fay shouted at me after the meeting about my drinking."


def events(**filters):
    return list(AuditEvent.objects.filter(**filters).order_by("pk"))


def last():
    return AuditEvent.objects.order_by("-pk").first()


def record_breach(cast, by, words=BREACH_WORDS):
    return rule_services.record_breach(
        group=cast.group_a,
        by=by,
        occurred_on=timezone.localdate(),
        rules=[],
        what_happened=words,
        response_taken=words,
        follow_up=words,
        not_working=False,
    )


# What is recorded ------------------------------------------------------------------------


def test_invitations_and_role_changes_are_recorded_with_who_and_whom(cast):
    invitation = services.invite(
        organisation=cast.org_a,
        group=cast.group_a,
        role=Invitation.Role.FACILITATOR,
        email=cast.peer.email,
        invited_by=cast.coordinator,
        accept_url=lambda token: LINK + token,
    )
    sent = last()
    assert (sent.action, sent.actor, sent.organisation, sent.group) == (
        A.INVITATION_SENT,
        cast.coordinator,
        cast.org_a,
        cast.group_a,
    )
    assert sent.target == "Facilitator invitation"  # never the address it went to

    token = "a-known-token"
    Invitation.objects.filter(pk=invitation.pk).update(token_hash=_hash(token))
    services.accept_invitation(token=token, user=cast.peer)  # the peer becomes facilitator
    changed, accepted = events(action=A.ROLE_CHANGED), events(action=A.INVITATION_ACCEPTED)
    assert [(e.actor, e.subject, e.group) for e in changed] == [
        (cast.coordinator, cast.peer, cast.group_a)
    ]
    assert [(e.actor, e.group) for e in accepted] == [(cast.peer, cast.group_a)]

    other = services.invite(
        organisation=cast.org_a,
        group=cast.group_a,
        role=Invitation.Role.PEER,
        email="someone@example.test",
        invited_by=cast.facilitator,
        accept_url=lambda token: LINK + token,
    )
    assert services.revoke_invitation(other, by=cast.facilitator)
    assert not services.revoke_invitation(other, by=cast.facilitator)  # once only
    assert [(e.actor, e.group) for e in events(action=A.INVITATION_REVOKED)] == [
        (cast.facilitator, cast.group_a)
    ]
    assert "someone@example.test" not in _audit_text()


def _hash(token):
    return hash_token(token)


def test_removing_a_member_is_recorded_but_leaving_is_not(cast):
    membership = Membership.objects.get(group=cast.group_a, user=cast.peer)
    services.end_membership(membership, ending=Membership.Ending.REMOVED, by=cast.facilitator)
    assert [(e.action, e.actor, e.subject, e.target) for e in events()] == [
        (A.MEMBER_REMOVED, cast.facilitator, cast.peer, "Peer")
    ]
    own = Membership.objects.get(group=cast.group_a, user=cast.facilitator)
    services.end_membership(own, ending=Membership.Ending.LEFT, by=cast.facilitator)
    assert len(events()) == 1


def test_the_breach_log_is_recorded_when_opened_written_and_deleted_never_its_words(
    cast, client_for
):
    adopt(cast.group_a, cast.facilitator, agreeing=[cast.facilitator, cast.peer])
    client = client_for(cast.facilitator)
    url = reverse("groundrules:breaches", args=[cast.group_a.slug])
    assert client.get(url).status_code == 200
    assert [(e.action, e.actor, e.group) for e in events(action=A.BREACH_LOG_READ)] == [
        (A.BREACH_LOG_READ, cast.facilitator, cast.group_a)
    ]

    breach = record_breach(cast, cast.facilitator)
    delete_url = reverse("groundrules:breach_delete", args=[cast.group_a.slug, breach.uuid])
    coordinator = client_for(cast.coordinator)
    assert coordinator.get(delete_url).status_code == 200  # shows the record: a read
    assert coordinator.post(delete_url).status_code == 302

    assert [(e.action, e.actor) for e in events()] == [
        (A.VERSION_ADOPTED, cast.facilitator),
        (A.BREACH_LOG_READ, cast.facilitator),
        (A.BREACH_RECORDED, cast.facilitator),
        (A.BREACH_LOG_READ, cast.coordinator),
        (A.BREACH_DELETED, cast.coordinator),
    ]
    # A peer is refused, and refusing records nothing.
    before = AuditEvent.objects.count()
    assert client_for(cast.peer).get(url).status_code == 403
    assert AuditEvent.objects.count() == before
    text = _audit_text()
    for fragment in ("Sam", "Jo's", "overdose", "bus home"):
        assert fragment not in text


def test_a_private_message_leaves_no_words_on_the_trail(cast):
    services.send_concern(
        group=cast.group_a,
        sender=cast.peer,
        to=Concern.To.FACILITATORS,
        text=CONCERN_WORDS,
        link=lambda c: LINK,
    )
    assert "shouted" not in _audit_text() and "drinking" not in _audit_text()


def test_adopting_and_withdrawing_rules_are_recorded(cast):
    adopt(cast.group_a, cast.facilitator, agreeing=[cast.facilitator, cast.peer])
    version = put_to_group(cast.group_a, cast.facilitator)
    rule_services.withdraw_round(version=version, by=cast.facilitator, outcome="Not yet.")
    assert [(e.action, e.actor, e.group, e.target) for e in events()] == [
        (A.VERSION_ADOPTED, cast.facilitator, cast.group_a, "Version 1"),
        (A.ROUND_WITHDRAWN, cast.facilitator, cast.group_a, "Version 2"),
    ]


def test_template_changes_and_dashboard_exports_are_recorded(cast, client_for):
    venue_services.retire_question(organisation=cast.org_a, by=cast.coordinator, key="staffed")
    client = client_for(cast.coordinator)
    assert client.get(reverse("dashboard_csv", args=[cast.org_a.slug])).status_code == 200
    assert client.get(reverse("dashboard_print", args=[cast.org_a.slug])).status_code == 200
    assert [(e.action, e.actor, e.organisation, e.group) for e in events()] == [
        (A.TEMPLATE_CHANGED, cast.coordinator, cast.org_a, None),
        (A.DASHBOARD_CSV, cast.coordinator, cast.org_a, None),
        (A.DASHBOARD_PRINT, cast.coordinator, cast.org_a, None),
    ]
    # Another organisation's coordinator is refused, and nothing is recorded.
    other = client_for(cast.other_coordinator)
    assert other.get(reverse("dashboard_csv", args=[cast.org_a.slug])).status_code == 404
    assert len(events()) == 3


def test_failed_sign_ins_are_recorded_against_the_account_never_the_address_typed(db, client):
    person = make_user("Pat", "pat@example.test")
    client.post(reverse("login"), {"username": "PAT@example.test", "password": "wrong-one"})
    client.post(reverse("login"), {"username": "nobody@example.test", "password": "wrong-one"})
    client.post(reverse("login"), {"username": "pat@example.test", "password": PASSWORD})
    assert [(e.action, e.actor, e.subject, e.organisation) for e in events()] == [
        (A.SIGN_IN_FAILED, None, person, None),
        (A.SIGN_IN_FAILED, None, None, None),
    ]
    assert "nobody@example.test" not in _audit_text()


def test_second_factor_changes_are_recorded(db):
    person = make_user("Pat")
    device = factor_services.start_app(person)
    factor_services.confirm_app(person, code_for(device))
    factor_services.make_recovery_codes(person)
    device.refresh_from_db()
    factor_services.remove_factor(person, device, required=False)
    factor_services.reset_second_factor(person)
    assert [(e.action, e.actor, e.subject, e.target) for e in events()] == [
        (A.SECOND_FACTOR_ADDED, person, None, "Authenticator app"),
        (A.RECOVERY_CODES_MADE, person, None, ""),
        (A.SECOND_FACTOR_REMOVED, person, None, "Authenticator app"),
        (A.SECOND_FACTOR_REMOVED, None, person, "Every factor (reset)"),
    ]


def _audit_text():
    return "\n".join(repr(row) for row in AuditEvent.objects.values_list())


# The coordinator's page -------------------------------------------------------------------


def audit_url(organisation, **params):
    url = reverse("groups:audit", args=[organisation.slug])
    return f"{url}?{urlencode(params)}" if params else url


def test_coordinators_read_their_own_organisations_trail_and_nobody_else_does(cast, client_for):
    audit.record(A.BREACH_LOG_READ, actor=cast.facilitator, group=cast.group_a)
    audit.record(A.DASHBOARD_CSV, actor=cast.other_coordinator, organisation=cast.org_b)
    audit.record(A.SIGN_IN_FAILED, subject=cast.peer)  # a person's own: site admins only

    response = client_for(cast.coordinator).get(audit_url(cast.org_a))
    rows = table_texts(html(response))[1:]
    assert len(rows) == 1
    assert rows[0][1:] == ["Breach log opened", "Fay Facilitator", "Group A"]
    assert "Otto" not in html(response)
    assert "Sign-in failed" not in html(response)  # not even as a filter

    for person in (cast.other_coordinator, cast.facilitator, cast.peer, cast.other_peer):
        assert client_for(person).get(audit_url(cast.org_a)).status_code == 404
    assert client_for(cast.coordinator).post(audit_url(cast.org_a)).status_code == 405


def test_the_trail_filters_by_action_group_and_dates(cast, client_for):
    second = make_group(cast.org_a, "Group Two")
    audit.record(A.BREACH_LOG_READ, actor=cast.facilitator, group=cast.group_a)
    audit.record(A.VERSION_ADOPTED, actor=cast.facilitator, group=second)
    old = audit.record(A.DASHBOARD_CSV, actor=cast.coordinator, organisation=cast.org_a)
    AuditEvent.objects.filter(pk=old.pk).update(created=timezone.now() - timedelta(days=40))
    client = client_for(cast.coordinator)

    def shown(**params):
        response = client.get(audit_url(cast.org_a, **params))
        assert response.status_code == 200
        body = tables(html(response))
        return [row[1] for row in table_texts(html(response))[1:]] if body else []

    assert shown() == ["Ground rules adopted", "Breach log opened", "Dashboard downloaded as CSV"]
    assert shown(action=A.VERSION_ADOPTED) == ["Ground rules adopted"]
    assert shown(group=second.slug) == ["Ground rules adopted"]
    since = (timezone.localdate() - timedelta(days=7)).isoformat()
    assert shown(since=since) == ["Ground rules adopted", "Breach log opened"]
    until = (timezone.localdate() - timedelta(days=30)).isoformat()
    assert shown(until=until) == ["Dashboard downloaded as CSV"]
    # Another organisation's group is not a choice: the filter is ignored, not obeyed.
    other = make_group(cast.org_b, "Their Group")
    assert "not one of the available choices" in html(
        client.get(audit_url(cast.org_a, group=other.slug))
    )
    assert len(shown(group=other.slug, action="nonsense", since="9999-99-99")) == 3


def test_the_trail_comes_in_pages_and_its_queries_do_not_grow(cast, client_for):
    client = client_for(cast.coordinator)

    def count_queries():
        with CaptureQueriesContext(connection) as context:
            assert client.get(audit_url(cast.org_a)).status_code == 200
        return len(context)

    audit.record(A.BREACH_LOG_READ, actor=cast.facilitator, group=cast.group_a)
    few = count_queries()
    for n in range(60):
        audit.record(
            A.MEMBER_REMOVED, actor=make_user(), subject=make_user(), group=make_group(cast.org_a)
        )
    assert count_queries() == few
    first = client.get(audit_url(cast.org_a))
    assert len(table_texts(html(first))) == 51
    assert "Page 1 of 2" in html(first)
    second = client.get(audit_url(cast.org_a, page=2))
    assert len(table_texts(html(second))) == 12


# Admin and retention ------------------------------------------------------------------------


def test_the_admin_shows_the_trail_but_cannot_change_it(db, client):
    admin = make_user("Ada Admin", "ada@example.test")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    event = audit.record(A.SIGN_IN_FAILED, subject=admin)
    assert client.get(reverse("admin:groups_auditevent_changelist")).status_code == 200
    page = client.get(reverse("admin:groups_auditevent_change", args=[event.pk]))
    assert page.status_code == 200 and 'name="_save"' not in html(page)
    assert client.get(reverse("admin:groups_auditevent_add")).status_code == 403
    assert (
        client.post(reverse("admin:groups_auditevent_delete", args=[event.pk])).status_code == 403
    )
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.parametrize("months", [12, 3])
def test_housekeeping_purges_events_past_the_retention_period_and_again_does_nothing(db, months):
    org = make_organisation()
    now = timezone.now()
    kept = audit.record(A.DASHBOARD_CSV, organisation=org)
    gone = audit.record(A.DASHBOARD_CSV, organisation=org)
    edge = audit.record(A.DASHBOARD_PRINT, organisation=org)
    AuditEvent.objects.filter(pk=kept.pk).update(created=now - timedelta(days=30 * months - 5))
    AuditEvent.objects.filter(pk=gone.pk).update(created=now - timedelta(days=31 * months + 2))
    AuditEvent.objects.filter(pk=edge.pk).update(created=now - timedelta(days=1))
    with override_settings(AUDIT_RETENTION_MONTHS=months):
        call_command("housekeeping", stdout=io.StringIO())
        call_command("housekeeping", stdout=io.StringIO())
    assert set(AuditEvent.objects.values_list("pk", flat=True)) == {kept.pk, edge.pk}
