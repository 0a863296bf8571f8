"""The matrix's world: built once per test module, a fresh copy for each case.

`matrix_world` runs world.build_world() once, in a transaction that is rolled back
when the module is done; `world` hands each case a deep copy of it, and the case
runs in pytest-django's `db` transaction (a savepoint in the module's), rolled back
after it. So every case starts from exactly the same rows, as if built afresh.
"""

import pytest

from tests.builders import built_once, fresh
from tests.matrix.world import build_world


@pytest.fixture(scope="module")
def matrix_world(django_db_setup, django_db_blocker):
    with built_once(django_db_blocker):
        yield build_world()


@pytest.fixture
def world(matrix_world, db):
    return fresh(matrix_world)
