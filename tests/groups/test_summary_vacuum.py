"""PostgreSQL vacuums the summary rows often (groups migration 0012): the dashboard counts
groups by reason from an index alone (listing._counts), which reads no rows only where a
vacuum has marked the table's pages all-visible since they last changed. `make bench`
shows the plan's effect at 5,000 groups (docs/benchmarks.md); at the few rows a test
makes, PostgreSQL rightly reads the table instead."""

import pytest
from django.db import connection

from groups.models import GroupSummary

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db]


def test_the_summary_rows_are_vacuumed_after_a_fiftieth_of_them_change():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reloptions FROM pg_class WHERE oid = %s::regclass",
            [GroupSummary._meta.db_table],
        )
        (options,) = cursor.fetchone()
    assert "autovacuum_vacuum_scale_factor=0.02" in options
