"""One date must not take an organisation down: every date a form takes is bounded.

groups/fields.py, BoundedDateField: a review or a breach is not in the future, a
review is not before the rules it reviews were adopted, a breach is not older than
the organisation keeps breach records, an action is due between today and five years
from now, and nothing is before 1900. test_stored_dates.py: a far date that is
stored all the same (by the admin, say) takes no page down either.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from groundrules.models import Breach, Review, Version
from groups.dates import add_months
from groups.models import Organisation
from tests import builders
from tests.hostile.conftest import failing, read_everything
from venues.models import Action

TODAY = timezone.localdate


def long(day):
    return builders.long(day)


def review_post(scene, held_on):
    data = {"held_on": held_on, "participants": 4, "outcome": "no_change", "notes": ""}
    for rule in scene.rules:
        data[f"rule_{rule.pk}_working"] = "yes"
        data[f"rule_{rule.pk}_notes"] = ""
    return data


def breach_post(scene, occurred_on):
    return {
        "occurred_on": occurred_on,
        "rules": [scene.rules[0].pk],
        "what_happened": "A phone rang during a share.",
        "response_taken": "A quiet word.",
        "follow_up": "",
    }


def action_post(scene, due_on):
    return {"what": "Ask for the back room.", "owner": scene.cast.facilitator.pk, "due_on": due_on}


ADOPTED = 100  # days ago: the scene's rules, as far as the review form goes


def adopted_earlier(scene):
    """The day the scene's current rules were adopted, moved ADOPTED days back."""
    day = TODAY() - timedelta(days=ADOPTED)
    Version.objects.filter(pk=scene.current.pk).update(closed_at=builders.at(day))
    return day


# The attack, as it was found ------------------------------------------------------------


def test_a_review_held_on_9999_12_31_is_refused_and_every_page_still_stands(scene, client_for):
    adopted = adopted_earlier(scene)
    client = client_for(scene.cast.facilitator)
    url = reverse("groundrules:review_new", args=[scene.cast.group_a.slug])

    response = client.post(url, review_post(scene, "9999-12-31"))

    assert response.status_code == 200
    page = response.content.decode()
    assert f"Please give a date from {long(adopted)} to {long(TODAY())}." in page
    assert Review.objects.filter(group=scene.cast.group_a).count() == 1  # the scene's own
    assert failing(read_everything(client_for, scene)) == {}


def test_a_breach_dated_9999_12_31_is_refused(scene, client_for):
    client = client_for(scene.cast.facilitator)
    url = reverse("groundrules:breaches", args=[scene.cast.group_a.slug])

    response = client.post(url, breach_post(scene, "9999-12-31"))

    assert response.status_code == 200
    earliest = add_months(TODAY(), -12)  # the organisation keeps breach records 12 months
    assert f"Please give a date from {long(earliest)} to {long(TODAY())}." in (
        response.content.decode()
    )
    assert list(Breach.objects.all()) == [scene.breach]


# Each date field's range ----------------------------------------------------------------

HOSTILE_DATES = [
    "0001-01-01",
    "1899-12-31",
    "1900-01-01",
    "9999-12-31",
    "10000-01-01",
    "31/12/9999",
    "2026-02-30",
    "tomorrow",
    "-1",
    "99999999999999999999",
]


def _refused(client, url, data, count):
    response = client.post(url, data)
    assert response.status_code == 200, (data, response.status_code)
    assert 'class="invalid-feedback"' in response.content.decode() or "errorlist" in (
        response.content.decode()
    )
    assert count() == 1, data


@pytest.mark.parametrize("held_on", HOSTILE_DATES)
def test_a_review_date_far_away_or_nonsense_is_a_form_error(scene, client_for, held_on):
    url = reverse("groundrules:review_new", args=[scene.cast.group_a.slug])
    _refused(
        client_for(scene.cast.facilitator),
        url,
        review_post(scene, held_on),
        Review.objects.count,
    )


def test_a_review_is_not_in_the_future_nor_before_its_rules_were_adopted(scene, client_for):
    client = client_for(scene.cast.facilitator)
    url = reverse("groundrules:review_new", args=[scene.cast.group_a.slug])
    adopted = adopted_earlier(scene)

    for refused in (TODAY() + timedelta(days=1), adopted - timedelta(days=1)):
        _refused(client, url, review_post(scene, refused.isoformat()), Review.objects.count)
    for accepted in (adopted, TODAY()):
        response = client.post(url, review_post(scene, accepted.isoformat()))
        assert response.status_code == 302, accepted
        assert Review.objects.filter(held_on=accepted).exists()


@pytest.mark.parametrize("occurred_on", HOSTILE_DATES)
def test_a_breach_date_far_away_or_nonsense_is_a_form_error(scene, client_for, occurred_on):
    url = reverse("groundrules:breaches", args=[scene.cast.group_a.slug])
    _refused(
        client_for(scene.cast.facilitator),
        url,
        breach_post(scene, occurred_on),
        Breach.objects.count,
    )


def test_a_breach_is_not_in_the_future_nor_older_than_records_are_kept(scene, client_for):
    Organisation.objects.filter(pk=scene.cast.org_a.pk).update(breach_retention_months=6)
    client = client_for(scene.cast.facilitator)
    url = reverse("groundrules:breaches", args=[scene.cast.group_a.slug])
    earliest = add_months(TODAY(), -6)
    page = client.get(url).content.decode()
    assert "Not in the future, and within the last 6 months: records are kept that long." in page

    for refused in (TODAY() + timedelta(days=1), earliest - timedelta(days=1)):
        _refused(client, url, breach_post(scene, refused.isoformat()), Breach.objects.count)
    for accepted in (earliest, TODAY()):
        response = client.post(url, breach_post(scene, accepted.isoformat()))
        assert response.status_code == 302, accepted
        assert Breach.objects.filter(occurred_on=accepted).exists()


@pytest.mark.parametrize("due_on", HOSTILE_DATES)
def test_an_action_due_date_far_away_or_nonsense_is_a_form_error(scene, client_for, due_on):
    url = reverse("venues:action_new", args=[scene.cast.group_a.slug, scene.check.uuid, "private"])
    _refused(
        client_for(scene.cast.facilitator), url, action_post(scene, due_on), Action.objects.count
    )


def test_an_action_is_due_from_today_to_five_years_on(scene, client_for):
    client = client_for(scene.cast.facilitator)
    url = reverse("venues:action_new", args=[scene.cast.group_a.slug, scene.check.uuid, "private"])
    latest = add_months(TODAY(), 60)

    response = client.post(url, action_post(scene, (latest + timedelta(days=1)).isoformat()))
    assert f"Please give a date from {long(TODAY())} to {long(latest)}." in (
        response.content.decode()
    )
    _refused(
        client,
        url,
        action_post(scene, (TODAY() - timedelta(days=1)).isoformat()),
        Action.objects.count,
    )
    for accepted in (TODAY(), latest):
        assert client.post(url, action_post(scene, accepted.isoformat())).status_code == 302
        assert Action.objects.filter(due_on=accepted).exists()


def test_date_inputs_tell_the_browser_their_range(scene, client_for):
    adopted = adopted_earlier(scene)
    client = client_for(scene.cast.facilitator)
    page = client.get(reverse("groundrules:review_new", args=[scene.cast.group_a.slug]))
    assert f'min="{adopted.isoformat()}" max="{TODAY().isoformat()}"' in page.content.decode()
    assert "Not before these rules were adopted, and not in the future." in page.content.decode()


def test_a_range_of_one_day_says_so(scene, client_for):
    """Rules adopted today can only have been reviewed today."""
    client = client_for(scene.cast.facilitator)
    url = reverse("groundrules:review_new", args=[scene.cast.group_a.slug])
    yesterday = (TODAY() - timedelta(days=1)).isoformat()
    response = client.post(url, review_post(scene, yesterday))
    assert f"The date can only be {long(TODAY())}." in response.content.decode()
