"""What the public may read: official channels (approved, active, being closed) and closed
ones, with their platform, unit and a functional contact address. Nothing of drafts, pending
or rejected registrations, and nothing of people."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Count, Max, Q, QuerySet

from channels.addresses import address_key, handle_of, looks_like_handle
from channels.counts import forget, kept, kept_count
from channels.models import Channel, Platform, Unit

State = Channel.State
# Still speaking for the university: approved (about to open), active, and being closed (it is
# official until Komm confirms the closure).
OFFICIAL_STATES = (State.APPROVED, State.ACTIVE, State.CLOSING)
PUBLIC_STATES = (*OFFICIAL_STATES, State.CLOSED)
# The only fields of a channel a public page or the API reads.
PUBLIC_FIELDS = (
    "pk",
    "name",
    "address",
    "address_key",
    "language",
    "state",
    "closed_at",
    "updated_at",
    "platform__name",
    "platform__slug",
    "responsible_unit",
)


def public_channels() -> QuerySet[Channel]:
    """Every channel the public may see, with what its entry shows, in one query."""
    return (
        Channel.objects.filter(state__in=PUBLIC_STATES)
        .select_related("platform", "responsible_unit")
        .only(*PUBLIC_FIELDS)
        .order_by("name", "pk")
    )


def public_channels_after(channels: QuerySet[Channel], *, name: str, pk: int) -> QuerySet[Channel]:
    """The channels of a public list that come after (name, pk) in its order (name, then pk):
    keyset pagination, which starts reading the index on (name, id) at that place however deep
    it is, where an offset reads every row before it (180 ms at page 1,700 of 100,000)."""
    return channels.filter(name__gte=name).exclude(name=name, pk__lte=pk)


def unit_and_descendants(unit: Unit) -> set[int]:
    """The unit's pk and those of every unit under it (the tree is small: one query)."""
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in Unit.objects.values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    found, todo = set(), [unit.pk]
    while todo:
        pk = todo.pop()
        if pk not in found:
            found.add(pk)
            todo.extend(children.get(pk, []))
    return found


def public_channels_filtered(
    *, q: str = "", platform=None, unit: Unit | None = None, language: str = ""
) -> QuerySet[Channel]:
    """The directory's filters: platform, unit with its sub-units, language, name or handle."""
    channels = public_channels()
    if platform is not None:
        channels = channels.filter(platform=platform)
    if unit is not None:
        channels = channels.filter(responsible_unit__in=unit_and_descendants(unit))
    if language:
        channels = channels.filter(language=language)
    if q:
        needle = handle_of(q) if looks_like_handle(q) else address_key(q)
        channels = channels.filter(Q(name__icontains=q.strip()) | Q(address_key__icontains=needle))
    return channels


def public_contacts() -> dict[int, str]:
    """Each unit's public contact: its own functional address, else its nearest parent's,
    else Komm's. One query for the whole tree, kept with the register's version (which reads
    every unit's address)."""
    version, _last = public_register_version()
    return kept(f"channels:public:contacts:{version}", _read_contacts)


def _read_contacts() -> dict[int, str]:
    units = {
        pk: (parent, email)
        for pk, parent, email in Unit.objects.values_list("pk", "parent_id", "public_email")
    }

    def contact(pk: int | None, seen: frozenset = frozenset()) -> str:
        if pk is None or pk in seen or pk not in units:
            return settings.KOMM_EMAIL
        parent, email = units[pk]
        return email or contact(parent, seen | {pk})

    return {pk: contact(pk) for pk in units}


def public_contact(channel: Channel, contacts: dict[int, str]) -> str:
    return contacts.get(channel.responsible_unit_id or 0, settings.KOMM_EMAIL)


# The version reads every public channel (a count and the latest change: 30 ms at 100,000), so
# it is cached like the counts (channels.counts) and forgotten by channels.signals whenever a
# channel, a unit or a platform changes; the public lists' totals are cached under it.
VERSION_CACHE_KEY = "channels:public:version"


def public_register_version() -> tuple[str, datetime | None]:
    """A fingerprint of everything the public pages show, and when a channel last changed: the
    ETag and Last-Modified. A channel leaving the public states changes the count or a
    timestamp; units and platforms (names, contacts) have no timestamps, so their values count.
    Kept for REGISTRY_COUNTS_SECONDS; forgotten on every change (public_register_forget)."""
    return kept(VERSION_CACHE_KEY, _read_register_version)


def _read_register_version() -> tuple[str, datetime | None]:
    summary = Channel.objects.filter(state__in=PUBLIC_STATES).aggregate(
        n=Count("pk"), last=Max("updated_at")
    )
    units = list(Unit.objects.values_list("pk", "parent_id", "name", "name_en", "public_email"))
    platforms = list(Platform.objects.values_list("pk", "name", "slug"))
    digest = hashlib.sha256(repr((summary, units, platforms)).encode()).hexdigest()[:32]
    return digest, summary["last"]


def public_register_forget() -> None:
    """Drop the kept version (and with it the totals kept under it), channels.counts.forget."""
    forget(VERSION_CACHE_KEY)


def public_count(channels: QuerySet[Channel]) -> int:
    """How many channels a public list holds: counted once per version of the register and
    list (channels.counts.kept_count), then kept with that version."""
    version, _last = public_register_version()
    return kept_count(channels, version=version)


@dataclass(frozen=True)
class Verdict:
    """The answer of /verify/: official, closed or unknown, with the matching entries."""

    kind: str  # "official", "closed" or "unknown"
    channels: tuple[Channel, ...] = ()


def public_verify(text: str) -> Verdict:
    """Is this address or handle one of the university's channels? An address matches on its
    normalised key; a bare handle on the last part of any official channel's key."""
    text = (text or "").strip()
    if not text:
        return Verdict("unknown")
    if looks_like_handle(text):
        handle = handle_of(text)
        matches = public_channels().filter(
            Q(address_key__endswith="/" + handle)
            | Q(address_key__endswith="/@" + handle)
            | Q(address_key__startswith=f"@{handle}@")
        )
    else:
        matches = public_channels().filter(address_key=address_key(text))
    found = tuple(matches[:10])
    official = tuple(c for c in found if c.state in OFFICIAL_STATES)
    if official:
        return Verdict("official", official)
    if found:
        return Verdict("closed", found)
    return Verdict("unknown")
