"""Forget what is cached about the registry when it changes: the counts (channels.counts) when a
channel is saved or deleted, the public register's version (channels.public.selectors) when a
channel, a unit or a platform is, and the units' list (channels.selectors.unit_choices) when a
unit is. Connected in channels.apps. A bulk `update()` sends no signal; what is cached then
catches up within REGISTRY_COUNTS_SECONDS."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from channels.counts import channel_counts_forget
from channels.models import Channel, Platform, Unit
from channels.public.selectors import public_register_forget
from channels.selectors import unit_choices_forget


def _channel_changed(sender, **kwargs) -> None:
    channel_counts_forget()
    public_register_forget()


def _unit_changed(sender, **kwargs) -> None:
    public_register_forget()
    unit_choices_forget()


def _platform_changed(sender, **kwargs) -> None:
    public_register_forget()


HANDLERS = {Channel: _channel_changed, Unit: _unit_changed, Platform: _platform_changed}


def connect() -> None:
    for signal in (post_save, post_delete):
        for model, handler in HANDLERS.items():
            signal.connect(handler, sender=model, dispatch_uid=f"{model.__name__}-{signal}")
