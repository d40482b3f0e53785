"""Forget the overview's cached counts when a channel changes (approvals.overview.selectors).

Connected in approvals.apps. A bulk `update()` sends no signal; the counts then catch up within
OVERVIEW_COUNTS_SECONDS, which Komm's overview accepts (docs/benchmarks.md)."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from approvals.overview.selectors import overview_counts_forget
from channels.models import Channel


def _forget(sender, **kwargs) -> None:
    overview_counts_forget()


def connect() -> None:
    post_save.connect(_forget, sender=Channel, dispatch_uid="overview-counts-save")
    post_delete.connect(_forget, sender=Channel, dispatch_uid="overview-counts-delete")
