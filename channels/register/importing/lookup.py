"""What a dry run compares the file against, read in a fixed number of queries however long the
file is: platforms, units and their heads, the people the file names, and the channels at its
addresses (by the normalised key, channels.addresses)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models.functions import Lower

from channels.addresses import address_key
from channels.models import Channel, Platform, Unit, UnitHead
from channels.register.importing.parse import SourceRow

User = get_user_model()


def split_emails(text: str) -> list[str]:
    """The deputies' cell: addresses separated by ";" (as the export writes), "," or spaces."""
    return [part.lower() for part in text.replace(",", ";").replace(" ", ";").split(";") if part]


def web_address(text: str) -> str:
    """An address typed without a scheme gets https:// (the register keeps web addresses)."""
    text = text.strip()
    if text and "://" not in text:
        return "https://" + text.lstrip("/")
    return text


@dataclass
class Lookup:
    platforms: dict[str, Platform] = field(default_factory=dict)
    units: dict[str, list[Unit]] = field(default_factory=lambda: defaultdict(list))
    heads: set[tuple[int, str]] = field(default_factory=set)
    users: dict[str, Any] = field(default_factory=dict)
    channels: dict[str, list[Channel]] = field(default_factory=lambda: defaultdict(list))

    def platform(self, text: str) -> Platform | None:
        return self.platforms.get(text.strip().lower())

    def unit_matches(self, text: str) -> list[Unit]:
        return self.units.get(" ".join(text.lower().split()), [])


def load_lookup(rows: list[SourceRow]) -> Lookup:
    found = Lookup()
    for platform in Platform.objects.all():
        found.platforms[platform.slug.lower()] = platform
        found.platforms[platform.name.lower()] = platform
    for unit in Unit.objects.all():
        names = {" ".join(n.lower().split()) for n in (unit.name, unit.name_en) if n}
        for name in names:
            found.units[name].append(unit)
    found.heads = set(UnitHead.objects.values_list("unit_id", "email"))
    emails = set()
    keys = set()
    for row in rows:
        emails.add(row.values.get("responsible_email", "").lower())
        emails.update(split_emails(row.values.get("deputy_emails", "")))
        keys.add(address_key(web_address(row.values.get("address", ""))))
    emails.discard("")
    keys.discard("")
    users = User.objects.annotate(lower_email=Lower("email")).filter(lower_email__in=emails)
    for user in users.order_by("pk"):
        found.users.setdefault(user.lower_email, user)
    channels = (
        Channel.objects.filter(address_key__in=keys)
        .select_related("platform", "responsible_unit", "responsible")
        .prefetch_related("deputies")
        .order_by("pk")
    )
    for channel in channels:
        found.channels[channel.address_key].append(channel)
    return found
