"""A coordinator and a facilitator editing a group's details at once: the later save
gets the conflict page, with what they typed beside what is there now."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from groups.conflicts import stamp_of
from groups.models import Group, GroupNeed, HelpService
from tests.pages import base_of, html

pytestmark = pytest.mark.django_db


def details(**changes):
    return {
        "name": "Group A",
        "purpose": "",
        "format": "in_person",
        "upheld_by": "facilitators",
        "quick_exit": "auto",
        **changes,
    }


def test_the_later_save_of_a_group_gets_the_conflict_page(cast):
    url = reverse("groups:edit", args=[cast.group_a.slug])
    clients = {}
    for name, person in (("cora", cast.coordinator), ("fay", cast.facilitator)):
        clients[name] = Client()
        clients[name].force_login(person)
    base = base_of(clients["cora"].get(url))
    assert base_of(clients["fay"].get(url)) == base

    first = clients["fay"].post(url, details(purpose="Carers meeting.", base=base))
    assert first.status_code == 302
    second = clients["cora"].post(url, details(purpose="Carers, every Tuesday.", base=base))

    assert second.status_code == 409
    page = html(second)
    group = Group.objects.get(pk=cast.group_a.pk)
    assert group.purpose == "Carers meeting."
    assert "Fay Facilitator changed it on" in page and "Carers meeting." in page
    assert "What is there now (saved by Fay Facilitator)" in page
    assert "Carers, every Tuesday.</textarea>" in page
    assert base_of(second) == stamp_of(group)
    assert (
        clients["cora"].post(url, details(purpose="Both.", base=base_of(second))).status_code == 302
    )
    assert Group.objects.get(pk=group.pk).purpose == "Both."


def test_an_entry_of_the_list_of_help_saved_over_a_newer_one_gets_the_conflict_page(cast):
    line = HelpService.objects.create(
        group=cast.group_a,
        name="Carers line",
        what_for="Talking it through.",
        phone="0800 111 2222",
        hours="Every day",
    )
    url = reverse("groups:help_edit", args=[cast.group_a.slug, line.uuid])
    fay = Client()
    fay.force_login(cast.facilitator)
    base = base_of(fay.get(url))
    HelpService.objects.filter(pk=line.pk).update(hours="Weekdays", updated=timezone.now())

    refused = fay.post(
        url,
        {
            "name": "Carers line",
            "what_for": "Talking it through.",
            "phone": "0800 111 2222",
            "hours": "Evenings",
            "base": base,
        },
    )

    assert refused.status_code == 409
    page = html(refused)
    assert "Weekdays" in page and 'value="Evenings"' in page
    assert HelpService.objects.get(pk=line.pk).hours == "Weekdays"


def test_specific_needs_changed_meanwhile_are_a_conflict_too(cast):
    url = reverse("groups:edit", args=[cast.group_a.slug])
    fay = Client()
    fay.force_login(cast.facilitator)
    base = base_of(fay.get(url))
    cora = Client()
    cora.force_login(cast.coordinator)
    assert cora.post(url, details(needs=["step_free"], base=base)).status_code == 302

    refused = fay.post(url, details(needs=["quiet_room"], base=base))

    assert refused.status_code == 409
    page = html(refused)
    assert 'aria-labelledby="clash-needs"' in page
    assert "Step-free access" in page and "A quiet room" in page
    assert list(GroupNeed.objects.filter(group=cast.group_a).values_list("need", flat=True)) == [
        "step_free"
    ]
