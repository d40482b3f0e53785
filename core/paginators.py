"""Paginators for the lists of big tables: counted by an estimate (the admin's) or by a count
that is kept elsewhere (a cached count)."""

from __future__ import annotations

from collections.abc import Callable

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import cached_property


class EstimatedCountPaginator(Paginator):
    """An unfiltered list of a big table is counted by PostgreSQL's estimate of the table's
    rows (`pg_class.reltuples`, kept by autovacuum and ANALYZE) instead of reading every row;
    a filtered or searched list, a small table and SQLite count exactly. The last page of an
    unfiltered list may then be a little off; nothing else is."""

    exact_below = 10_000

    @cached_property
    def count(self) -> int:
        estimate = self._estimate()
        if estimate is not None and estimate >= self.exact_below:
            return estimate
        return super().count

    def _estimate(self) -> int | None:
        queryset = self.object_list
        if not isinstance(queryset, QuerySet) or queryset.query.where:
            return None
        connection = connections[queryset.db]
        if connection.vendor != "postgresql":
            return None
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                [queryset.model._meta.db_table],
            )
            row = cursor.fetchone()
        return int(row[0]) if row else None


class KnownCountPaginator(Paginator):
    """A paginator whose total comes from `count` (say, a count kept in the cache) instead of
    counting the list on every page."""

    def __init__(self, object_list, per_page, *, count: Callable[[], int], **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count()
