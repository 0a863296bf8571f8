"""Queries of a fixed shape over an organisation's summary rows, compiled once per process.

Building and compiling the dashboard's summary queries through the ORM took longer than
the database took to run them (about 10 of 16 ms at 5,000 groups). Their shape depends
only on which reasons apply, never on the request, so each shape is compiled once, for a
stand-in organisation, and run with the organisation's id put in its place: the rows come
from the same selector (`summaries_of`) and the same query the ORM would run.
"""

import functools

from django.db import connection

from groups.models import Organisation
from groups.selectors import summaries_of

# An organisation id no row has: where it appears in a compiled query's parameters, the
# organisation's own id goes.
STAND_IN = -(2**62) + 7


def rows_of(organisation, build, *args) -> list[dict]:
    """`build(rows, *args)`, a `.values()` queryset of summary rows (`rows` are the
    organisation's, from `summaries_of`), run for this organisation: its rows, as dicts.
    `build` and `args` (hashable) say the query's shape."""
    sql, params = _compiled(connection.vendor, build, args)
    params = [organisation.pk if p == STAND_IN else p for p in params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


@functools.lru_cache(maxsize=64)
def _compiled(vendor, build, args) -> tuple:
    rows = summaries_of(Organisation(pk=STAND_IN))
    sql, params = build(rows, *args).query.sql_with_params()
    if STAND_IN not in params:
        raise ValueError("The query does not read the organisation's rows.")
    return sql, tuple(params)
