"""Each group's summary row (GroupSummary): kept when things change, not worked out when read.

Each app that holds a part of a group's facts registers a part here from its AppConfig
(`register`): a function `(group_ids, today) -> {group id: {column: value}}` working out
its own columns in a fixed number of queries. The dashboard registers what it derives
from them (`register_derived`: the urgency its table is sorted by). `groups` sits on the
ground floor, so it cannot import the apps above it; they come to it.

- Every service function that changes a fact calls `refresh(group_ids)` before its
  transaction ends: the row is locked first, then worked out afresh from what the
  transaction sees, so two changes to one group cannot leave a row that misses either.
- What changes with the date alone (reviews and checks falling due, actions going
  overdue, breaches leaving the 90 days, a new quarter's answers) is caught by the daily
  refresh (`manage.py refresh_summaries`, one of `run_scheduled`'s jobs), which also
  rebuilds any row changed outside the services (the admin site).
"""

from django.db import transaction
from django.utils import timezone

from .facts import open_concerns
from .models import Group, GroupSummary

_PARTS = []
_DERIVED = []
# Rows worked out and written at a time by `refresh_all`.
CHUNK = 500


def register(part) -> None:
    if part not in _PARTS:
        _PARTS.append(part)


def register_derived(derive) -> None:
    """`derive(values) -> {column: value}` works out columns from a row's other columns,
    after every part has (the dashboard's urgency)."""
    if derive not in _DERIVED:
        _DERIVED.append(derive)


def _groups_part(group_ids, today):
    rows = {
        gid: {
            "organisation_id": organisation_id,
            "archived": archived_at is not None,
            "name": name,
            "slug": slug,
            "name_key": name.lower(),
            "format": group_format,
        }
        for gid, organisation_id, archived_at, name, slug, group_format in Group.objects.filter(
            pk__in=group_ids
        ).values_list("pk", "organisation_id", "archived_at", "name", "slug", "format")
    }
    for gid, facts in open_concerns(group_ids).items():
        rows.setdefault(gid, {}).update(
            concerns_to_coordinators=facts.coordinators,
            concerns_to_facilitators=facts.facilitators,
        )
    return rows


register(_groups_part)


def compute(group_ids, today=None) -> dict:
    """{group id: {column: value}} worked out from scratch, written nowhere."""
    group_ids = list(group_ids)
    today = today or timezone.localdate()
    rows = {gid: {"computed_on": today} for gid in group_ids}
    _work_out(rows, _PARTS, today)
    return rows


def _work_out(rows: dict, parts, today) -> None:
    """Each row's columns from these parts, then the derived ones from all its columns."""
    for part in parts:
        for gid, values in part(list(rows), today).items():
            rows[gid].update(values)
    for derive in _DERIVED:
        for values in rows.values():
            values.update(derive(values))


def _write(rows: dict) -> None:
    if not rows:
        return
    columns = sorted({name for values in rows.values() for name in values})
    GroupSummary.objects.bulk_create(
        [GroupSummary(group_id=gid, **values) for gid, values in rows.items()],
        update_conflicts=True,
        unique_fields=["group"],
        update_fields=[*columns, "updated"],
    )


def refresh(group_ids, today=None, only=None) -> None:
    """Work out the given groups' rows again and write them, inside the caller's
    transaction (or one of its own).

    `only`, a registered part, says the change touched that part's facts alone (a ground
    rules or venue service): the other parts' columns are taken from the locked row as
    it stands, so a write works out its own app's facts and not every app's."""
    ids = sorted({int(gid) for gid in group_ids})
    if not ids:
        return
    with transaction.atomic():
        # Lock the rows in one order before reading facts, so a concurrent change to the
        # same group waits and is then seen.
        locked = {
            row.group_id: row
            for row in GroupSummary.objects.select_for_update()
            .filter(group_id__in=ids)
            .order_by("group_id")
        }
        if len(locked) < len(ids):
            # Rows are made with their group; one missing is made here, locked, and worked
            # out in full.
            GroupSummary.objects.bulk_create(
                [GroupSummary(group_id=gid, computed_on=timezone.localdate()) for gid in ids],
                ignore_conflicts=True,
            )
            list(
                GroupSummary.objects.select_for_update()
                .filter(group_id__in=ids)
                .order_by("group_id")
                .values_list("group_id", flat=True)
            )
            only = None
        if only is None:
            _write(compute(ids, today))
            return
        rows = {gid: _columns(row) for gid, row in locked.items()}
        _work_out(rows, [only], today or timezone.localdate())
        _write(rows)


def _columns(row) -> dict:
    """A summary row's columns as kept (its group and timestamps aside)."""
    return {
        f.attname: getattr(row, f.attname)
        for f in GroupSummary._meta.concrete_fields
        if f.attname not in ("group_id", "created", "updated")
    }


def refresh_all(today=None) -> int:
    """Every group's row worked out again (the daily refresh and the rebuild): how many."""
    ids = list(Group.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        refresh(ids[start : start + CHUNK], today)
    return len(ids)
