"""The hostile-input tests' scene: group A with adopted ground rules, a review and a
breach record, and a room with a submitted check whose No became an action.

`read_everything(client_for, scene)` requests every page that shows those rows, as
each person who sees it, and returns the status of each: a stored value, however
odd, must never take one of them down.
"""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from tests import builders, pages


@pytest.fixture
def scene(cast):
    group, facilitator = cast.group_a, cast.facilitator
    current = builders.adopt(
        group, facilitator, ["Listen.", "Phones away."], agreeing=[facilitator, cast.peer]
    )
    room = builders.venue(cast.org_a, "Mill Lane Room", used_by=[group])
    check = builders.assess(group, room, facilitator, values={"private": "no"})
    return SimpleNamespace(
        cast=cast,
        current=current,
        rules=list(current.rules.order_by("position")),
        room=room,
        check=check,
        action=builders.action(check, "private", facilitator),
        review=builders.review(group, current, builders.today()),
        breach=builders.breach(group, facilitator, builders.today()),
    )


ORGANISATION_PAGES = ("dashboard", "dashboard_csv", "dashboard_print", "trends", "venues:library")


def pages_showing(scene):
    """(who, URL) for every page that shows the scene's dates, due dates and counts."""
    cast = scene.cast
    group, org = cast.group_a.slug, cast.org_a.slug
    return [
        *(
            (who, reverse("home"))
            for who in ("facilitator", "peer")  # the coordinator's home is the dashboard
        ),
        *(
            ("facilitator", reverse(name, args=[group]))
            for name in (
                "groups:detail",
                "groundrules:home",
                "groundrules:reviews",
                "groundrules:breaches",
                "groundrules:print",
                "groundrules:handout",
                "venues:group",
                "safety",
            )
        ),
        ("facilitator", reverse("groundrules:review", args=[group, scene.review.uuid])),
        ("facilitator", reverse("venues:action", args=[group, scene.action.uuid])),
        ("facilitator", reverse("venues:assessment", args=[group, scene.check.uuid])),
        ("facilitator", reverse("venues:venue", args=[scene.room.uuid])),
        *(
            ("coordinator", reverse(name, args=[org]))
            for name in (
                "dashboard",
                "dashboard_csv",
                "dashboard_print",
                "trends",
                "venues:library",
            )
        ),
        ("coordinator", reverse("safety", args=[group])),
    ]


def read_everything(client_for, scene):
    """{(who, URL): status} for every page of `pages_showing`."""
    statuses = {}
    for who, url in pages_showing(scene):
        response = client_for(getattr(scene.cast, who)).get(url)
        pages.body(response)  # a streamed page is read to its end: its errors count too
        statuses[who, url] = response.status_code
    return statuses


def failing(statuses):
    """The pages of `read_everything` that did not answer 200."""
    return {key: status for key, status in statuses.items() if status != 200}
