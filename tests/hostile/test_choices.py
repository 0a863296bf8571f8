"""Numbers are range-checked before they reach a query.

A chosen row is sent as its primary key. A key that is not a whole number from 1 to
2**63 - 1 (the largest the database holds) is answered "select a valid choice" by the
form (groups/fields.py: BoundedModelChoiceField, BoundedModelMultipleChoiceField),
before any query: never a server error from a database that cannot take the number.
"""

import pytest
from django.urls import reverse

from groundrules.models import Breach, Proposal
from tests.builders import database_state, venue, without_audit_reads
from venues.models import Action, VenueUse

HOSTILE_KEYS = [
    str(2**63),  # one past the largest key the database holds
    str(2**64),
    "9" * 400,
    "-9223372036854775809",
    "-1",
    "0",
    "1.5",
    "1e3",
    "0x10",
    " ",
    "NaN",
    "\u0661",  # ARABIC-INDIC DIGIT ONE: int() reads it as 1
    "1\u202e",
]


def chose(client, url, data):
    before = database_state()
    response = client.post(url, data)
    assert response.status_code == 200, (data, response.status_code)
    assert "Select a valid choice." in response.content.decode(), data
    # The page shown again may be the breach log: opening it is on the audit trail.
    assert without_audit_reads(before, database_state(), allowed=True) == before, data


@pytest.mark.parametrize("key", HOSTILE_KEYS)
def test_a_breach_names_rules_by_valid_keys_only(scene, client_for, key):
    url = reverse("groundrules:breaches", args=[scene.cast.group_a.slug])
    data = {
        "occurred_on": scene.breach.occurred_on.isoformat(),
        "rules": [str(scene.rules[0].pk), key],
        "what_happened": "A phone rang during a share.",
        "response_taken": "A quiet word.",
    }
    chose(client_for(scene.cast.facilitator), url, data)
    assert Breach.objects.count() == 1


@pytest.mark.parametrize("key", HOSTILE_KEYS)
def test_choosing_venues_takes_valid_keys_only(scene, client_for, key):
    url = reverse("venues:choose", args=[scene.cast.group_a.slug])
    chose(client_for(scene.cast.facilitator), url, {"venues": [str(scene.room.pk), key]})
    assert VenueUse.objects.count() == 1


@pytest.mark.parametrize("key", HOSTILE_KEYS)
def test_a_suggestion_targets_a_rule_by_a_valid_key_only(scene, client_for, key):
    url = reverse("groundrules:proposal_new", args=[scene.cast.group_a.slug])
    data = {"kind": "remove", "target": key, "reason": "It no longer fits."}
    chose(client_for(scene.cast.peer), url, data)
    assert not Proposal.objects.exists()


@pytest.mark.parametrize("key", HOSTILE_KEYS)
def test_an_action_owner_is_a_valid_key_only(scene, client_for, key):
    url = reverse("venues:action_new", args=[scene.cast.group_a.slug, scene.check.uuid, "private"])
    data = {"what": "Ask for the back room.", "owner": key, "due_on": scene.action.due_on}
    chose(client_for(scene.cast.facilitator), url, data)
    assert Action.objects.count() == 1


def test_the_largest_key_is_simply_not_a_choice(scene, client_for):
    """2**63 - 1 fits the database: it is looked up, and is not one of the choices."""
    client = client_for(scene.cast.facilitator)
    url = reverse("venues:choose", args=[scene.cast.group_a.slug])
    chose(client, url, {"venues": [str(2**63 - 1)]})


def test_valid_keys_are_still_chosen(scene, client_for):
    """The bounded fields take what the plain ones took."""
    hall = venue(scene.cast.org_a, "Church Hall")
    client = client_for(scene.cast.facilitator)
    url = reverse("venues:choose", args=[scene.cast.group_a.slug])
    response = client.post(url, {"venues": [str(scene.room.pk), str(hall.pk)]})
    assert response.status_code == 302
    assert set(VenueUse.objects.values_list("venue_id", flat=True)) == {scene.room.pk, hall.pk}
