"""The overview's lists of handovers, sign-offs and closures are counted once and kept
(channels.counts.kept_count); forget them when one of those changes (the counts by state and
platform stay: only a channel's own change moves them, channels.signals). Connected in
approvals.apps."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from approvals.models import Closure, Handover, PrefectSignoff
from channels.counts import kept_counts_forget


def _forget(sender, **kwargs) -> None:
    kept_counts_forget()


def connect() -> None:
    for signal in (post_save, post_delete):
        for model in (Handover, PrefectSignoff, Closure):
            signal.connect(_forget, sender=model, dispatch_uid=f"counts-{model.__name__}-{signal}")
