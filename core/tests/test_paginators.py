"""core.paginators.EstimatedCountPaginator: an unfiltered list of a big table is counted by
PostgreSQL's estimate, anything else exactly."""

from __future__ import annotations

import pytest
from django.db import connection

from core.models import User
from core.paginators import EstimatedCountPaginator
from core.testing.environment import need
from core.testing.factories import UserFactory


@pytest.fixture
def users(db):
    UserFactory.create_batch(3)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE core_user" if connection.vendor == "postgresql" else "SELECT 1")


def test_a_small_table_or_a_filtered_list_is_counted_exactly(users):
    everyone = User.objects.count()  # the three, and guardian's anonymous user
    assert EstimatedCountPaginator(User.objects.order_by("pk"), 10).count == everyone
    filtered = EstimatedCountPaginator(User.objects.filter(is_active=True).order_by("pk"), 10)
    filtered.exact_below = 0  # as if the table were big
    assert filtered.count == User.objects.filter(is_active=True).count()


def test_an_unfiltered_big_table_is_counted_by_the_estimate(users, monkeypatch):
    need("PostgreSQL", connection.vendor == "postgresql", "set DATABASE_URL=postgres://...")
    paginator = EstimatedCountPaginator(User.objects.order_by("pk"), 10)
    paginator.exact_below = 0  # as if the table were big
    monkeypatch.setattr(EstimatedCountPaginator, "_estimate", lambda self: 123_456, raising=True)
    assert paginator.count == 123_456


def test_the_estimate_is_the_tables_row_estimate(users):
    need("PostgreSQL", connection.vendor == "postgresql", "set DATABASE_URL=postgres://...")
    assert (
        EstimatedCountPaginator(User.objects.order_by("pk"), 10)._estimate() == User.objects.count()
    )
