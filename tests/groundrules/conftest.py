"""The ground rules tests' helpers, offered as one fixture: `gr`.

`gr.draft(...)`, `gr.put_to_group(...)`, `gr.adopt(...)` build versions through
the service layer (tests/builders.py); `gr.state()` is a snapshot of every
ground rules row (and membership), used to check that a refused request
changed nothing.
"""

from functools import partial
from types import SimpleNamespace

import pytest

from groups.models import Membership
from tests import builders


@pytest.fixture
def gr(db):
    return SimpleNamespace(
        LINK=builders.LINK,
        fields=builders.fields,
        draft=builders.draft,
        put_to_group=builders.put_to_group,
        answer=builders.answer,
        adopt=builders.adopt,
        url=builders.rules_url,
        state=partial(builders.database_state, "groundrules", Membership),
    )
