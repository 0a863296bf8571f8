"""PostgreSQL plans a statement that one connection runs often once, not on every request
(DATABASE_PREPARED_STATEMENTS, on by default): the values travel apart from the text,
and the text is prepared on the server after five runs."""

import pytest
from django.db import connection

from groups.models import Group

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db]


def prepared_here() -> list[str]:
    """The statements prepared on this connection, as PostgreSQL keeps them."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def by_place_and_purpose(place, purpose):
    # A shape no page asks for, so that nothing else on this connection prepared it.
    return list(Group.objects.filter(meeting_place=place, purpose=purpose).order_by("pk"))


def mine(statements):
    return [s for s in statements if '"meeting_place" = $' in s and '"purpose" = $' in s]


def test_a_statement_run_often_is_prepared_once_and_answers_for_every_value(cast):
    group = cast.group_a
    Group.objects.filter(pk=group.pk).update(meeting_place="Room 4", purpose="Carers")
    assert by_place_and_purpose("Room 4", "Carers") == [group]
    assert mine(prepared_here()) == []  # run once: planned, not kept

    for place in ["Hall", "Room 4", "Room 5", "Kitchen", "Room 4", "Room 9"]:
        found = by_place_and_purpose(place, "Carers")
        assert found == ([group] if place == "Room 4" else [])
    # One statement, with the values as parameters, whichever values were asked for.
    kept = mine(prepared_here())
    assert len(kept) == 1
    assert "Room" not in kept[0] and "Carers" not in kept[0]
    # The prepared statement still answers with the rows as they are now.
    Group.objects.filter(pk=group.pk).update(meeting_place="Hall")
    assert by_place_and_purpose("Hall", "Carers") == [group]
    assert by_place_and_purpose("Room 4", "Carers") == []
