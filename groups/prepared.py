"""Queries of a fixed shape, built and compiled once per process.

For the small lookups every page makes (the group with the viewer's role, say), building
and compiling a query through the ORM takes two to three times as long as the database
takes to answer it. A prepared query is built once, from stand-in values, and compiled for
the database in use; each call then runs that SQL with its own values where the stand-ins
were, and the ORM's own iterable turns the rows into objects: the same SQL, the same model
instances (or dicts, for `.values()`), the same prefetches.

Only for queries whose SQL does not depend on the values: equality with an id, a slug, a
user's id. Not for `__in` a list (its length changes the SQL) or a value that may be None
(`= NULL` becomes `IS NULL`); nor for a lookup that rewrites its value (`contains` escapes
% and _): a stand-in that does not reach the query's parameters unchanged is refused when
the query is compiled.
"""

import copy
import itertools

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connections

_numbers = itertools.count(1)
_INT64 = (-(2**63), 2**63 - 1)


def _stand_ins(kinds) -> dict:
    """A stand-in value for each name, of its kind, never met in real data."""
    values = {}
    for name, kind in kinds.items():
        number = next(_numbers)
        if kind is int:
            # Within any integer column's range but that of the smallest (Django finds no
            # row for a value a column cannot hold, and would compile that instead).
            values[name] = 2**31 - 1 - number
        elif kind is str:
            # With the characters a LIKE lookup escapes: a lookup that rewrites its value
            # changes this one, and is refused (see _compile).
            values[name] = f"stand-in {number} for {name}: %_\\"
        else:
            raise TypeError(f"No stand-in for {kind!r}: only int and str.")
    return values


class _Slot:
    """Where a value goes in a compiled query's parameters."""

    def __init__(self, name):
        self.name = name


class Prepared:
    """`Prepared(build, user=int, slug=str)`: `build(user=…, slug=…)` returns the query
    (a QuerySet, already sliced if only some rows are wanted); calling the prepared query
    with real values returns its rows as a list. The result must not be filtered further:
    it is the rows, not a QuerySet."""

    def __init__(self, build, **kinds):
        self.build = build
        self.stand_ins = _stand_ins(kinds)
        self._compiled = {}

    def __call__(self, using="default", **values) -> list:
        if values.keys() != self.stand_ins.keys():
            raise TypeError(f"Expected values for {sorted(self.stand_ins)}, got {sorted(values)}.")
        if any(isinstance(v, int) and not _INT64[0] <= v <= _INT64[1] for v in values.values()):
            # A number beyond what a database column holds: the ORM knows what such a
            # lookup means (no row, for equality) where the database would fail.
            return list(self.build(**values).using(using))
        template, compiler, sql, slots = self._compile(using)
        params = tuple(values[p.name] if isinstance(p, _Slot) else p for p in slots)
        run = copy.copy(compiler)
        run.connection = connections[using]  # this thread's, not the one it was compiled on
        run.as_sql = lambda *args, **kwargs: (sql, params)
        queryset = template.all()
        queryset.query.get_compiler = lambda *args, **kwargs: run
        return list(queryset)

    def first(self, using="default", **values):
        rows = self(using, **values)
        return rows[0] if rows else None

    def _compile(self, using):
        vendor = connections[using].vendor
        compiled = self._compiled.get((using, vendor))
        if compiled is None:
            template = self.build(**self.stand_ins)
            compiler = template.query.get_compiler(using=using)
            try:
                sql, params = compiler.as_sql()
            except (EmptyResultSet, FullResultSet) as error:
                raise ValueError(
                    f"{self.build!r} compiles to no query: it cannot be prepared."
                ) from error
            by_value = {value: _Slot(name) for name, value in self.stand_ins.items()}
            slots = tuple(by_value.get(p, p) if isinstance(p, int | str) else p for p in params)
            missing = set(self.stand_ins) - {p.name for p in slots if isinstance(p, _Slot)}
            if missing:
                raise ValueError(
                    f"{', '.join(sorted(missing))} did not reach the query's parameters as "
                    "given: this query's shape depends on its values, so it cannot be prepared."
                )
            compiled = self._compiled[(using, vendor)] = (template, compiler, sql, slots)
        return compiled
