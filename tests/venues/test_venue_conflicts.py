"""A coordinator and a facilitator editing one venue's details at once.

The later save is refused with the conflict page: what they typed beside what is
there now, who changed it and when; their words stay in the form to keep or merge.
"""

import pytest
from django.test import Client

from groups.conflicts import stamp_of
from tests.pages import base_of, html

pytestmark = pytest.mark.django_db

DETAILS = {
    "kind": "physical",
    "name": "Riverside Community Centre",
    "address": "12 Mill Lane",
    "postcode": "RV1 2AB",
    "directions": "Bus 12 to the library stop.",
    "access_notes": "Level access at the side door.",
    "join_info": "",
}


def test_the_later_save_of_a_venue_gets_the_conflict_page(cast, vn, room, client_for):
    url = vn.url("venue_edit", room.uuid)
    coordinator = client_for(cast.coordinator)
    base = base_of(coordinator.get(url))
    assert base == stamp_of(room)
    # The facilitator changes the access notes meanwhile.
    fay = Client()
    fay.force_login(cast.facilitator)
    first = fay.post(url, {**DETAILS, "access_notes": "Ramp at the back.", "base": base})
    assert first.status_code == 302

    second = coordinator.post(
        url, {**DETAILS, "access_notes": "Lift to the first floor.", "base": base}
    )

    assert second.status_code == 409
    page = html(second)
    room.refresh_from_db()
    assert (room.access_notes, room.changed_by) == ("Ramp at the back.", cast.facilitator)
    assert "Fay Facilitator changed it on" in page
    assert page.count('class="conflict-field"') == 1  # only the access notes differ
    assert "Ramp at the back." in page and "Lift to the first floor.</textarea>" in page
    assert "<h1" in page and "Riverside Community Centre" in page
    kept = coordinator.post(
        url, {**DETAILS, "access_notes": "Lift to the first floor.", "base": base_of(second)}
    )
    assert kept.status_code == 302
    room.refresh_from_db()
    assert (room.access_notes, room.changed_by) == ("Lift to the first floor.", cast.coordinator)


def test_a_venue_saved_without_its_stamp_is_refused_and_unchanged(cast, vn, room, client_for):
    before = vn.state()
    response = client_for(cast.coordinator).post(vn.url("venue_edit", room.uuid), DETAILS)
    assert response.status_code == 200
    assert "Please open the page again: the form was incomplete." in html(response)
    assert vn.state() == before
