"""The venues tests' helpers, offered as one fixture: `vn`.

`vn.venue(...)` adds a venue to an organisation's library and, with `used_by`,
records that groups meet there. `vn.answer(...)`, `vn.submitted(...)` and
`vn.action(...)` build assessments and actions through the service layer
(tests/builders.py). `vn.state()` is a snapshot of every venues row, used to
check that a refused request changed nothing.
"""

from functools import partial
from types import SimpleNamespace

import pytest

from tests import builders, pages


@pytest.fixture
def vn():
    return SimpleNamespace(
        LINK=builders.LINK,
        venue=builders.venue,
        needs=builders.needs,
        url=builders.venues_url,
        questions=builders.questions,
        keys=builders.keys,
        question=builders.question,
        answer=builders.answer_questions,
        submitted=builders.assess,
        answer_to=builders.answer_to,
        action=builders.action,
        state=partial(builders.database_state, "venues"),
        html=pages.html,
        text=pages.text,
        messages_of=pages.messages_of,
        section_data=builders.section_data,
    )


@pytest.fixture
def room(cast):
    """A physical venue in organisation A's library where group A meets."""
    return builders.venue(
        cast.org_a,
        "Riverside Community Centre",
        used_by=[cast.group_a],
        directions="Bus 12 to the library stop.",
        access_notes="Level access at the side door.",
    )


@pytest.fixture
def other_room(cast):
    """Organisation B's venue, where group B meets."""
    return builders.venue(cast.org_b, "Elsewhere Hall", used_by=[cast.group_b])
