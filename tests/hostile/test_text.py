"""Text is bounded, and reads as it is stored.

Every text a form takes has a maximum length (the model's); a NUL byte is refused
with a form error; the invisible characters that could make text read differently
from what it holds (right-to-left overrides and their kin, control characters,
zero-width spaces) are taken out as it is read (groups/fields.py: `plain`), so a
display name cannot pose as "Fay Facilitator" and no page shows them.
"""

import pytest
from django.urls import reverse

from groundrules.models import Rule
from groups.conflicts import stamp_of
from groups.models import Group
from tests.builders import database_state, draft

OVERRIDE = "Fay \u202erotatilicaF"  # shows as "Fay Facilitator"


def test_a_display_name_loses_its_right_to_left_override(scene, client_for):
    client = client_for(scene.cast.peer)
    response = client.post(reverse("account"), {"display_name": OVERRIDE})
    assert response.status_code == 302
    scene.cast.peer.refresh_from_db()
    assert scene.cast.peer.display_name == "Fay rotatilicaF"
    members = client.get(reverse("groups:members", args=[scene.cast.group_a.slug]))
    assert "Fay rotatilicaF" in members.content.decode()
    assert "\u202e" not in members.content.decode()


def test_a_group_name_and_a_rule_lose_invisible_characters(scene, client_for):
    client = client_for(scene.cast.facilitator)
    slug = scene.cast.group_a.slug
    response = client.post(
        reverse("groups:edit", args=[slug]),
        {
            "name": "Group\u200b A\u2066",
            "purpose": "Carers\x07 meeting\u202c",
            "format": "online",
            "upheld_by": "facilitators",
            "base": stamp_of(scene.cast.group_a),
        },
    )
    assert response.status_code == 302
    group = Group.objects.get(pk=scene.cast.group_a.pk)
    assert (group.name, group.purpose) == ("Group A", "Carers meeting")

    draft(scene.cast.group_a, scene.cast.facilitator)
    client.post(
        reverse("groundrules:rule_add", args=[slug]),
        {"text": "\u202eKeep it kind.", "category": "respect", "why": "", "if_broken": ""},
    )
    assert Rule.objects.filter(text="Keep it kind.").exists()


def test_text_made_only_of_invisible_characters_is_no_text(scene, client_for):
    client = client_for(scene.cast.peer)
    before = database_state()
    response = client.post(reverse("account"), {"display_name": "\u202e\u200b\ufeff"})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert database_state() == before


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("x" * 100_000, "Ensure this value has at most 2000 characters (it has 100000)."),
        ("before\x00after", "Null characters are not allowed."),
    ],
)
def test_a_reason_too_long_or_holding_a_nul_byte_is_a_form_error(scene, client_for, text, error):
    client = client_for(scene.cast.peer)
    url = reverse("groundrules:proposal_new", args=[scene.cast.group_a.slug])
    data = {"kind": "add", "text": "Tea at the break.", "category": "other", "reason": text}
    before = database_state()
    response = client.post(url, data)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert database_state() == before
