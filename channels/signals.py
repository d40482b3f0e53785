"""Forget what is cached about the registry when it changes: the counts (channels.counts) when a
channel is saved or deleted, the public register's version (channels.public.selectors) when
a channel, a unit or a platform is, and the units' list (channels.selectors.unit_choices) when a
unit is. Connected in channels.apps. A bulk `update()` sends no
signal; both then catch up within REGISTRY_COUNTS_SECONDS."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from channels.counts import channel_counts_forget
from channels.models import Channel, Platform, Unit
from channels.public.selectors import public_register_forget
from channels.selectors import unit_choices_forget


def _channel_changed(sender, **kwargs) -> None:
    channel_counts_forget()
    public_register_forget()


def _public_names_changed(sender, **kwargs) -> None:
    public_register_forget()
    if sender is Unit:
        unit_choices_forget()


def connect() -> None:
    for signal in (post_save, post_delete):
        signal.connect(_channel_changed, sender=Channel, dispatch_uid=f"channel-{signal}")
        for model in (Unit, Platform):
            signal.connect(
                _public_names_changed, sender=model, dispatch_uid=f"{model.__name__}-{signal}"
            )
