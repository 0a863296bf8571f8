"""A far date already stored takes no page down: month arithmetic cannot overflow.

groups.dates.add_months clamps to date.max and date.min instead of raising, so a
review "held on 9999-12-31" written straight into the database (by the admin, or
before the forms were bounded), or the longest interval the admin can store, leaves
every page that works out what falls due when, and every cron job, standing.
"""

import io
from datetime import date

import pytest
from django.core.management import call_command

from groundrules.models import Breach, Review
from groups.admin import OrganisationForm
from groups.dates import add_months
from groups.models import Organisation
from tests.hostile.conftest import failing, read_everything
from venues.models import Action

FAR = [date.max, date(9999, 7, 1), date.min, date(1, 6, 30)]


SCHEDULED = ("send_review_reminders", "send_venue_reminders", "housekeeping", "release_feedback")


def run(command):
    call_command(command, stdout=io.StringIO())


@pytest.mark.parametrize("far", FAR, ids=str)
def test_pages_and_cron_jobs_stand_with_a_far_date_planted_in_the_database(scene, client_for, far):
    """As if the admin (or an older version of the app) wrote them: nothing to undo."""
    Review.objects.filter(pk=scene.review.pk).update(held_on=far)
    Breach.objects.filter(pk=scene.breach.pk).update(occurred_on=far)
    Action.objects.filter(pk=scene.action.pk).update(due_on=far)

    assert failing(read_everything(client_for, scene)) == {}
    for command in (
        "send_review_reminders",
        "send_venue_reminders",
        "housekeeping",
        "release_feedback",
    ):
        run(command)


def test_pages_and_cron_jobs_stand_with_the_longest_intervals_the_admin_can_store(
    scene, client_for
):
    """Months the admin can type (a PositiveSmallIntegerField holds up to 32767) must not
    carry a date past the year 9999 or before the year 1."""
    Organisation.objects.filter(pk=scene.cast.org_a.pk).update(
        breach_retention_months=32767, reassess_every_months=32767
    )
    Review.objects.filter(pk=scene.review.pk).update(held_on=date(9999, 1, 1))

    assert failing(read_everything(client_for, scene)) == {}
    for command in (
        "send_review_reminders",
        "send_venue_reminders",
        "housekeeping",
        "release_feedback",
    ):
        run(command)
    assert Breach.objects.filter(pk=scene.breach.pk).exists()


# Month arithmetic -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2026, 11, 29), -12, date(2025, 11, 29)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(9999, 12, 31), 6, date.max),
        (date(9999, 7, 1), 6, date.max),
        (date(9999, 6, 30), 6, date(9999, 12, 30)),
        (date(1, 1, 1), -1, date.min),
        (date(2026, 11, 29), -32767, date.min),
        (date(2026, 11, 29), 32767, date(4757, 6, 29)),
        (date(2026, 11, 29), 12 * 7974, date.max),
        (date(2026, 11, 29), 10**12, date.max),
    ],
)
def test_add_months_clamps_instead_of_overflowing(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    ("field", "months", "valid"),
    [
        ("breach_retention_months", 0, False),
        ("breach_retention_months", 1, True),
        ("breach_retention_months", 120, True),
        ("breach_retention_months", 121, False),
        ("breach_retention_months", 32767, False),
        ("reassess_every_months", 60, True),
        ("reassess_every_months", 61, False),
        ("reassess_every_months", str(2**63), False),
        ("concern_retention_months", 0, False),
        ("concern_retention_months", 120, True),
        ("concern_retention_months", 121, False),
    ],
)
def test_the_admin_keeps_an_organisations_intervals_to_months_the_app_counts_with(
    cast, field, months, valid
):
    data = {
        "name": cast.org_a.name,
        "slug": cast.org_a.slug,
        "breach_retention_months": 12,
        "reassess_every_months": 12,
        "concern_retention_months": 12,
        field: months,
    }
    form = OrganisationForm(data, instance=cast.org_a)
    assert form.is_valid() is valid, form.errors
