"""Queries of a fixed shape, built and compiled once per process.

For the small lookups every page makes (the group with the viewer's role, say), building
and compiling a query through the ORM takes two to three times as long as the database
takes to answer it. A prepared query is built once, from stand-in values, and compiled for
the database in use; each call then runs that SQL with its own values where the stand-ins
were, and the ORM's own iterable turns the rows into objects: the same SQL, the same model
instances (or dicts, for `.values()`), the same prefetches.

Only for queries whose SQL does not depend on the values: equality or comparison with
an id, a slug, a uuid, a date or a moment; `__in` a list of ids, compiled once for each
length met (a list's length changes the SQL; an empty or long one is left to the ORM).
Not for a value that may be None (`= NULL` becomes `IS NULL`), nor for a lookup that
rewrites its value (`contains` escapes % and _): a stand-in that does not reach the
query's parameters unchanged is refused when the query is compiled.
"""

import copy
import datetime
import itertools
import uuid

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connections

_numbers = itertools.count(1)
_INT64 = (-(2**63), 2**63 - 1)
LONGEST_LIST = 100  # ids; a longer list is left to the ORM (compiling it is the least of it)
KINDS = (int, str, uuid.UUID, datetime.date, datetime.datetime, list)


def _stand_in(kind, name):
    """A stand-in value of `kind`, never met in real data."""
    number = next(_numbers)
    if kind is int:
        # Within any integer column's range but that of the smallest (Django finds no
        # row for a value a column cannot hold, and would compile that instead).
        return 2**31 - 1 - number
    if kind is str:
        # With the characters a LIKE lookup escapes: a lookup that rewrites its value
        # changes this one, and is refused (see _compile).
        return f"stand-in {number} for {name}: %_\\"
    if kind is uuid.UUID:
        return uuid.UUID(int=number)  # not a random (version 4) uuid, as real ones are
    if kind is datetime.datetime:
        start = datetime.datetime(1001, 1, 1, tzinfo=datetime.UTC)
        return start + datetime.timedelta(seconds=number)
    return datetime.date(1001, 1, 1) + datetime.timedelta(days=number)


class _Slot:
    """Where a value goes in a compiled query's parameters: `name`'s, or its `index`th
    item for a list, as the database's driver takes it (`adapt`: a date or a moment as
    text on SQLite, adapted as the ORM adapts it)."""

    def __init__(self, name, index=None, adapt=None):
        self.name, self.index, self.adapt = name, index, adapt

    def value(self, values):
        value = values[self.name] if self.index is None else values[self.name][self.index]
        return self.adapt(value) if self.adapt else value


def _fits(value, kind) -> bool:
    """Whether the prepared SQL can take `value`; if not, the ORM is asked instead. A value
    not of its kind (a datetime for a date, a string for an id) is refused."""
    if kind is list:
        if not isinstance(value, list | tuple):
            raise TypeError(f"A list of ids expected, not {value!r}.")
        return 0 < len(value) <= LONGEST_LIST and all(_fits(v, int) for v in value)
    if kind is int and not (isinstance(value, int) and not isinstance(value, bool)):
        raise TypeError(f"An int expected, not {value!r}.")
    if kind is datetime.date and type(value) is not datetime.date:
        raise TypeError(f"A date expected, not {value!r}.")
    if kind is datetime.datetime and not (
        isinstance(value, datetime.datetime) and value.tzinfo is not None
    ):
        raise TypeError(f"A moment with its time zone expected, not {value!r}.")
    if kind is str and not isinstance(value, str):
        raise TypeError(f"A str expected, not {value!r}.")
    if kind is uuid.UUID and not isinstance(value, uuid.UUID):
        raise TypeError(f"A UUID expected, not {value!r}.")
    return kind is not int or _INT64[0] <= value <= _INT64[1]


class Prepared:
    """`Prepared(build, user=int, slug=str)`: `build(user=…, slug=…)` returns the query
    (a QuerySet, already sliced if only some rows are wanted); calling the prepared query
    with real values returns its rows as a list. The result must not be filtered further:
    it is the rows, not a QuerySet."""

    def __init__(self, build, **kinds):
        unknown = {kind for kind in kinds.values() if kind not in KINDS}
        if unknown:
            raise TypeError(f"No stand-in for {unknown!r}: only {KINDS!r}.")
        self.build = build
        self.kinds = kinds
        # Scalars' stand-ins now; a list's for each length, when first met.
        self.stand_ins = {n: _stand_in(k, n) for n, k in kinds.items() if k is not list}
        self._lists = {}
        self._compiled = {}

    def __call__(self, using="default", **values) -> list:
        if values.keys() != self.kinds.keys():
            raise TypeError(f"Expected values for {sorted(self.kinds)}, got {sorted(values)}.")
        if not all(_fits(values[name], kind) for name, kind in self.kinds.items()):
            # A number beyond what a database column holds (the ORM knows such a lookup
            # finds no row, where the database would fail), or a list empty or long.
            return list(self.build(**values).using(using))
        lengths = tuple(len(values[n]) for n, k in self.kinds.items() if k is list)
        template, compiler, sql, slots = self._compile(using, lengths)
        params = tuple(p.value(values) if isinstance(p, _Slot) else p for p in slots)
        run = copy.copy(compiler)
        run.connection = connections[using]  # this thread's, not the one it was compiled on
        run.as_sql = lambda *args, **kwargs: (sql, params)
        queryset = template.all()
        queryset.query.get_compiler = lambda *args, **kwargs: run
        return list(queryset)

    def first(self, using="default", **values):
        rows = self(using, **values)
        return rows[0] if rows else None

    def _stand_ins_for(self, lengths) -> dict:
        stand_ins = dict(self.stand_ins)
        names = [n for n, k in self.kinds.items() if k is list]
        for name, length in zip(names, lengths, strict=True):
            made = self._lists.setdefault(name, [])
            while len(made) < length:
                made.append(_stand_in(int, name))
            stand_ins[name] = made[:length]
        return stand_ins

    def _compile(self, using, lengths=()):
        vendor = connections[using].vendor
        compiled = self._compiled.get((using, vendor, lengths))
        if compiled is None:
            stand_ins = self._stand_ins_for(lengths)
            template = self.build(**stand_ins)
            compiler = template.query.get_compiler(using=using)
            try:
                sql, params = compiler.as_sql()
            except (EmptyResultSet, FullResultSet) as error:
                raise ValueError(
                    f"{self.build!r} compiles to no query: it cannot be prepared."
                ) from error
            ops = connections[using].ops
            by_value = {}
            for name, value in stand_ins.items():
                if isinstance(value, list):
                    by_value.update({item: _Slot(name, i) for i, item in enumerate(value)})
                    continue
                by_value[value] = _Slot(name)
                adapt = {
                    datetime.datetime: ops.adapt_datetimefield_value,
                    datetime.date: ops.adapt_datefield_value,
                    # A database without a uuid type (SQLite) takes its 32 hex digits.
                    uuid.UUID: lambda value: value.hex,
                }.get(type(value))
                if adapt and adapt(value) != value:
                    by_value[adapt(value)] = _Slot(name, adapt=adapt)
            slots = tuple(
                by_value.get(p, p) if isinstance(p, int | str | uuid.UUID | datetime.date) else p
                for p in params
            )
            reached = {(p.name, p.index) for p in slots if isinstance(p, _Slot)}
            wanted = {
                (name, i if isinstance(value, list) else None)
                for name, value in stand_ins.items()
                for i in (range(len(value)) if isinstance(value, list) else [None])
            }
            missing = sorted({name for name, _i in wanted - reached})
            if missing:
                raise ValueError(
                    f"{', '.join(missing)} did not reach the query's parameters as given: "
                    "this query's shape depends on its values, so it cannot be prepared."
                )
            compiled = (template, compiler, sql, slots)
            self._compiled[(using, vendor, lengths)] = compiled
        return compiled
