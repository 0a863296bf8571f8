"""The privacy page: public, linked from the footer of every page and shown before anyone
joins, and true: every retention period it names is the one the settings and defaults
enforce (change a setting and the page changes with it)."""

from datetime import timedelta

from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from groups import limits, services
from groups.models import Invitation, Organisation, SendQuota
from safespace.accounts import throttle
from tests.pages import html, table_texts, text

PRIVACY = reverse("privacy")


def periods(client) -> dict:
    response = client.get(PRIVACY)
    assert response.status_code == 200
    return dict(table_texts(html(response))[1:])


def row(rows, start):
    (found,) = [how_long for what, how_long in rows.items() if what.startswith(start)]
    return found


def test_the_page_is_public_and_says_what_is_kept_who_sees_it_and_the_rights(client, db):
    page = text(client.get(PRIVACY))
    for words in (
        "What we keep, and why",
        "Who can see it",
        "How long we keep it",
        "Your rights, and how to use them here",
        "They never see your email address.",
        "Information Commissioner's Office",
    ):
        assert words in page


def test_every_retention_period_named_is_the_one_enforced(client, db):
    rows = periods(client)
    field = Organisation._meta.get_field
    assert f"{field('breach_retention_months').default} months after they are written" in row(
        rows, "Records of broken ground rules"
    )
    assert f"{field('concern_retention_months').default} months after someone follows" in row(
        rows, "Private messages"
    )
    assert row(rows, "The audit trail") == f"{settings.AUDIT_RETENTION_MONTHS} months."
    assert f"expires after {settings.INVITATION_DAYS} days" in row(rows, "The email address")
    idle = int(settings.SESSION_IDLE_TIMEOUT.total_seconds() // 60)
    most = int(settings.SESSION_MAX_AGE.total_seconds() // 3600)
    session = row(rows, "Being signed in")
    assert f"after {idle} minutes without use" in session and f"always {most} hours" in session
    hours = settings.PASSWORD_RESET_TIMEOUT // 3600
    assert row(rows, "Password reset links") == f"They work for {hours} hours."
    assert row(rows, "Links to download your data") == (
        f"They work once, for {settings.DATA_DOWNLOAD_MINUTES} minutes."
    )
    assert row(rows, "Counts of failed sign-ins") == "A day after the last attempt."
    assert timedelta(days=1) == throttle.FORGET_AFTER
    assert row(rows, "Counts of emails sent") == "Two days."
    now = timezone.now()
    kept = SendQuota.objects.create(key="k", window_start=now - timedelta(hours=47))
    SendQuota.objects.create(key="g", window_start=now - timedelta(hours=49))
    limits.forget_old(now)
    assert list(SendQuota.objects.all()) == [kept]


@override_settings(
    AUDIT_RETENTION_MONTHS=7,
    INVITATION_DAYS=3,
    DATA_DOWNLOAD_MINUTES=15,
    SESSION_IDLE_TIMEOUT=timedelta(minutes=20),
)
def test_the_page_follows_the_settings(client, db):
    rows = periods(client)
    assert row(rows, "The audit trail") == "7 months."
    assert "expires after 3 days" in row(rows, "The email address")
    assert row(rows, "Links to download your data") == "They work once, for 15 minutes."
    assert "after 20 minutes without use" in row(rows, "Being signed in")


def test_every_page_links_to_it_in_the_footer(client, cast):
    for url in (reverse("login"), reverse("help"), PRIVACY, "/no-such-page/"):
        assert f'href="{PRIVACY}"' in html(client.get(url)), url
    client.force_login(cast.peer)
    for url in (
        reverse("home"),
        reverse("account"),
        reverse("groups:detail", args=[cast.group_a.slug]),
    ):
        assert f'href="{PRIVACY}"' in html(client.get(url)), url


def test_it_is_shown_before_anyone_joins(client, cast):
    tokens = []
    services.invite(
        organisation=cast.org_a,
        group=cast.group_a,
        role=Invitation.Role.PEER,
        email="newcomer@example.test",
        invited_by=cast.facilitator,
        accept_url=lambda token: tokens.append(token) or token,
    )
    page = client.get(reverse("invitation_accept", args=[tokens[0]]))
    assert "Before you join: SafeSpace keeps your email address" in text(page)
    assert f'href="{PRIVACY}"' in html(page)
