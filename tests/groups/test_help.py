"""Get help now: the organisation's and the group's own lists for their members, the UK
national services for everyone, every number a tap-to-call link, nothing from elsewhere."""

import re

import pytest
from django.urls import reverse

from groups.models import HelpService
from tests.builders import group, make_organisation, make_user
from tests.pages import html, text

NATIONAL_LINKS = [
    'href="tel:999"',
    'href="tel:111"',
    'href="tel:116123"',
    'href="sms:85258"',
    'href="tel:08082000247"',
]


@pytest.fixture
def w(db):
    cora, fay, pat, olive = (make_user(n) for n in ("Cora", "Fay", "Pat", "Olive"))
    org = make_organisation("Riverside", coordinators=[cora])
    other = make_organisation("Elsewhere")
    group_a = group(org, "Group A", facilitators=[fay], peers=[pat])
    group_b = group(other, "Group B", peers=[olive])
    a_line = HelpService.objects.create(
        group=group_a, name="Group A Line", what_for="Between meetings", phone="0800 123 4567"
    )
    org_line = HelpService.objects.create(
        organisation=org,
        name="Riverside Hub",
        what_for="Drop in",
        phone="+44 (0)161 496 0000",
        hours="Weekdays 9 to 5",
    )
    b_line = HelpService.objects.create(
        group=group_b, name="Group B Text", what_for="Texts", text_number="60000"
    )
    return locals()


def _no_third_party_loads(page):
    """Only our own origin is loaded from: no src= or stylesheet href= elsewhere."""
    for attr in re.findall(r'\ssrc="([^"]*)"', page):
        assert attr.startswith("/"), attr
    for tag in re.findall(r"<link[^>]*>", page):
        href = re.search(r'href="([^"]*)"', tag).group(1)
        assert href.startswith("/") or href.startswith("data:"), tag


def test_anyone_sees_the_national_services_with_tap_to_call_links(client):
    response = client.get(reverse("help"))
    page = html(response)
    assert response.status_code == 200
    for link in NATIONAL_LINKS:
        assert link in page
    for name in ("Samaritans", "Shout", "NHS 111, option 2", "National Domestic Abuse Helpline"):
        assert name in page
    assert "SafeSpace is not a crisis service" in text(response)
    assert "Suggested by" not in page
    _no_third_party_loads(page)


@pytest.mark.parametrize("who", ["pat", "fay"])
def test_a_member_sees_their_groups_and_organisations_lists(w, client_for, who):
    page = html(client_for(w[who]).get(reverse("help")))
    assert "Suggested by Group A" in page and "Suggested by Riverside" in page
    assert 'href="tel:08001234567"' in page
    assert 'href="tel:+4401614960000"' in page
    assert "Open: Weekdays 9 to 5" in page
    assert "Group B Text" not in page  # another organisation's group
    for link in NATIONAL_LINKS:  # still there, after their own
        assert link in page
    _no_third_party_loads(page)


def test_a_coordinator_sees_the_organisations_list_and_others_see_only_theirs(w, client_for):
    cora = html(client_for(w["cora"]).get(reverse("help")))
    assert "Riverside Hub" in cora and "Group A Line" not in cora  # not a member of group A
    olive = html(client_for(w["olive"]).get(reverse("help")))
    assert 'href="sms:60000"' in olive
    for name in ("Group A Line", "Riverside Hub", "Group A", "Riverside"):
        assert name not in olive


def test_a_former_member_no_longer_sees_the_groups_list(w, client_for):
    from tests.builders import leave

    leave(w["group_a"], w["pat"])
    page = html(client_for(w["pat"]).get(reverse("help")))
    assert "Group A Line" not in page and "Riverside Hub" not in page


def test_the_help_page_does_a_fixed_number_of_queries(w, client_for, django_assert_num_queries):
    client = client_for(w["pat"])
    client.get(reverse("help"))
    # session, user; groups; organisations coordinated; services
    with django_assert_num_queries(5):
        client.get(reverse("help"))
    for n in range(10):
        HelpService.objects.create(group=w["group_a"], name=f"Line {n}", what_for="x", phone="111")
    with django_assert_num_queries(5):
        assert "Line 9" in html(client.get(reverse("help")))


GOOD = {"name": "Night Line", "what_for": "Talk at night", "phone": "0800 555 0199"}


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"phone": "call 0800 555"}, "digits and spaces only"),
        ({"phone": "12"}, "digits and spaces only"),
        ({"phone": "+"}, "digits and spaces only"),
        ({"phone": ""}, "at least a phone number, a text number or a website"),
        ({"website": "javascript:alert(1)"}, "Enter a valid URL"),
        ({"website": "ftp://example.org/"}, "starting with https://"),
        ({"name": "x" * 81}, "at most 80 characters"),
        ({"what_for": ""}, "This field is required"),
    ],
)
def test_the_list_refuses_what_would_not_work(w, client_for, change, error):
    response = client_for(w["fay"]).post(
        reverse("groups:help_list", args=[w["group_a"].slug]), {**GOOD, **change}
    )
    assert response.status_code == 200
    assert error in text(response)
    assert not HelpService.objects.filter(name=GOOD["name"]).exists()


def test_a_facilitator_adds_a_service_members_can_tap_to_call(w, client_for):
    url = reverse("groups:help_list", args=[w["group_a"].slug])
    client_for(w["fay"]).post(url, {**GOOD, "phone": " 0800  555-0199 "})
    added = HelpService.objects.get(name="Night Line")
    assert (added.phone, added.tel, added.group) == ("0800 555-0199", "08005550199", w["group_a"])
    assert 'href="tel:08005550199"' in html(client_for(w["pat"]).get(reverse("help")))


def test_one_groups_service_cannot_be_changed_through_another_group(w, client_for):
    b_line = w["b_line"]
    other_group = group(w["org"], "Group C", facilitators=[w["fay"]])
    url = reverse("groups:help_edit", args=[other_group.slug, w["a_line"].uuid])
    assert client_for(w["fay"]).post(url, GOOD).status_code == 404
    url = reverse("groups:help_remove", args=[w["group_a"].slug, b_line.uuid])
    assert client_for(w["fay"]).post(url).status_code == 404
    assert HelpService.objects.filter(pk=b_line.pk).exists()
    w["a_line"].refresh_from_db()
    assert w["a_line"].name == "Group A Line"
