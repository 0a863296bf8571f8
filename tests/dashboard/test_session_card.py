"""The session card: the rules in short, what stays in the room and its limits, where to
take a moment away, open concerns about the place (for those who read the venue checks),
and who has not yet agreed (names for facilitators only), on a page and a print-out."""

import re
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from groundrules import services
from groundrules.models import Category, Rulebook
from tests import builders
from tests.builders import action, add_member, assess, make_user, venue


@pytest.fixture
def gr(db):
    return SimpleNamespace(
        adopt=builders.adopt,
        draft=builders.draft,
        fields=builders.fields,
        url=builders.rules_url,
    )


def html_of(response):
    return response.content.decode()


def text_of(page):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


@pytest.fixture
def card(cast, gr):
    """Group A's rules (one about confidentiality), a time-out room, a room whose last check
    found a serious problem with an open action, and a newcomer who has not agreed."""
    group = cast.group_a
    gr.adopt(
        group,
        cast.facilitator,
        [
            ("What is said here stays here.", Category.CONFIDENTIALITY, "So we can be open."),
            ("Listen.", Category.RESPECT),
        ],
        agreeing=[cast.facilitator, cast.peer],
    )
    Rulebook.objects.create(group=group, time_out_space="the quiet room next door")
    room = venue(cast.org_a, "Mill Lane Room", used_by=[group])
    check = assess(group, room, cast.facilitator, values={"private": "no"})
    action(check, "private", cast.facilitator, what="Ask for a room that cannot be overheard.")
    newcomer = make_user("Nia Newcomer")
    add_member(group, newcomer)
    return newcomer


def test_the_facilitator_reads_the_whole_card(cast, client_for, card):
    page = text_of(
        html_of(client_for(cast.facilitator).get(reverse("session_card", args=[cast.group_a.slug])))
    )
    assert "Our ground rules, in short What is said here stays here. Listen." in page
    assert (
        "What stays in the room, and its limits What is said here stays here. So we can be open."
        in page
    )
    assert "You can go to: the quiet room next door." in page
    assert "Mill Lane Room: its last check found a serious safety problem." in page
    assert "Mill Lane Room: Ask for a room that cannot be overheard." in page
    assert "Not yet agreed to these rules: Nia Newcomer." in page


def test_a_peer_reads_the_card_without_names_or_venue_checks(cast, client_for, card):
    page = text_of(
        html_of(client_for(cast.peer).get(reverse("session_card", args=[cast.group_a.slug])))
    )
    assert "What is said here stays here." in page
    assert "1 member has not yet agreed to these rules." in page
    for hidden in ("Nia Newcomer", "Mill Lane Room", "About the place we meet"):
        assert hidden not in page


def test_the_printed_card_and_a_group_without_a_confidentiality_rule(cast, client_for, gr):
    gr.adopt(cast.group_a, cast.facilitator, ["Listen."], agreeing=[cast.facilitator, cast.peer])
    page = html_of(
        client_for(cast.peer).get(reverse("session_card_print", args=[cast.group_a.slug]))
    )
    assert f"{cast.group_a.name}: before we begin" in page
    assert 'aria-label="This group"' not in page  # no site navigation on the print-out
    text = text_of(page)
    assert "The group has no rule yet about what stays in the room, or its limits." in text
    assert "Ask a facilitator where you can go." in text
    assert "Everyone in the group has agreed to these rules." in text

    # The draft prompts for one too, until there is one.
    draft = gr.draft(cast.group_a, cast.facilitator)
    client = client_for(cast.facilitator)
    assert 'id="confidentiality-prompt"' in html_of(client.get(gr.url("draft", cast.group_a)))
    services.add_rule(
        version=draft, fields=gr.fields("What is said here stays here.", Category.CONFIDENTIALITY)
    )
    assert 'id="confidentiality-prompt"' not in html_of(client.get(gr.url("draft", cast.group_a)))


def test_the_card_does_the_same_queries_for_more_rules_and_members(
    cast, client_for, gr, card, django_assert_num_queries
):
    client = client_for(cast.facilitator)
    url = reverse("session_card", args=[cast.group_a.slug])
    client.get(url)
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    for n in range(6):
        add_member(cast.group_a, make_user(f"Waiting {n}"))
    gr.adopt(
        cast.group_a,
        cast.facilitator,
        [(f"Rule {n}.", Category.CONFIDENTIALITY) for n in range(12)],
        agreeing=[cast.facilitator, cast.peer],
    )
    with django_assert_num_queries(len(first)):
        page = text_of(html_of(client.get(url)))
    assert "Rule 11." in page and "Waiting 5" in page
