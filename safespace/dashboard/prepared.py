"""Queries of a fixed shape over an organisation's summary rows, compiled once per process.

Building and compiling the dashboard's summary queries through the ORM took longer than
the database took to run them (about 10 of 16 ms at 5,000 groups). Their shape depends
only on which reasons apply, never on the request: each shape is a prepared query
(groups/prepared.py) over the organisation's rows from the same selector (`summaries_of`).
"""

import functools

from groups.models import Organisation
from groups.prepared import Prepared
from groups.selectors import summaries_of


def rows_of(organisation, build, *args) -> list[dict]:
    """`build(rows, *args)`, a `.values()` queryset of summary rows (`rows` are the
    organisation's, from `summaries_of`), run for this organisation: its rows, as dicts.
    `build` and `args` (hashable) say the query's shape."""
    return _prepared(build, args)(organisation=organisation.pk)


# The counts, each set of reasons' first groups, and the table's pages as they are asked for.
@functools.lru_cache(maxsize=512)
def _prepared(build, args) -> Prepared:
    return Prepared(
        lambda organisation: build(summaries_of(Organisation(pk=organisation)), *args),
        organisation=int,
    )
