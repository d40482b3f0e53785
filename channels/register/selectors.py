"""Komm's register: every channel in every state, with its people and flags, filtered, sorted
and counted; and its rows for the CSV export."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from channels.addresses import address_key, handle_of, looks_like_handle
from channels.counts import channel_count
from channels.models import Channel, Unit
from channels.public.selectors import unit_and_descendants

# ?sort= → the ordering; a "-" in front sorts descending.
SORTS = {
    "name": ("name", "pk"),
    "platform": ("platform__name", "name", "pk"),
    "state": ("state", "name", "pk"),
    "unit": ("responsible_unit__name", "name", "pk"),
    "updated": ("updated_at", "pk"),
}
# The export's columns, in order. Stable: scripts and the archive read them by name.
CSV_COLUMNS = (
    "id",
    "name",
    "platform",
    "address",
    "state",
    "language",
    "responsible_unit",
    "responsible_email",
    "deputy_emails",
    "case_number",
    "approved_at",
    "opened_at",
    "closed_at",
    "next_evaluation_on",
    "needs_handover_since",
)


def register_channels(
    *,
    q: str = "",
    platform=None,
    unit: Unit | None = None,
    language: str = "",
    state: str = "",
    sort: str = "name",
) -> QuerySet[Channel]:
    channels = Channel.objects.select_related(
        "platform", "responsible_unit", "responsible"
    ).prefetch_related("deputies")
    if platform is not None:
        channels = channels.filter(platform=platform)
    if unit is not None:
        channels = channels.filter(responsible_unit__in=unit_and_descendants(unit))
    if language:
        channels = channels.filter(language=language)
    if state:
        channels = channels.filter(state=state)
    if q:
        needle = handle_of(q) if looks_like_handle(q) else address_key(q)
        channels = channels.filter(
            Q(name__icontains=q.strip())
            | Q(address_key__icontains=needle)
            | Q(responsible__email__icontains=q.strip())
        )
    descending = sort.startswith("-")
    fields = SORTS.get(sort.lstrip("-"), SORTS["name"])
    return channels.order_by(*(f"-{f}" if descending else f for f in fields))


def register_counts() -> list[tuple[str, int]]:
    """How many channels are in each state, as (the state's label, count); zeros included.
    From the cached counts (channels.counts)."""
    return [(str(label), channel_count(states=[state])) for state, label in Channel.State.choices]


def register_total(
    channels: QuerySet[Channel], *, q="", platform=None, unit=None, language="", state="", **_sort
) -> int:
    """How many channels the register lists: from the cached counts (channels.counts) when it
    is narrowed by state and platform alone, else counted."""
    if q or unit is not None or language:
        return channels.count()
    return channel_count(
        states=[state] if state else None, platform_id=platform.pk if platform else None
    )


def register_row(channel: Channel) -> dict:
    """One channel as a row of the export (column names: CSV_COLUMNS)."""

    def iso(value) -> str:
        return value.isoformat() if value else ""

    return {
        "id": channel.pk,
        "name": channel.name,
        "platform": channel.platform.slug,
        "address": channel.address,
        "state": channel.state,
        "language": channel.language,
        "responsible_unit": channel.responsible_unit.name if channel.responsible_unit else "",
        "responsible_email": channel.responsible.email if channel.responsible else "",
        "deputy_emails": ";".join(sorted(d.email for d in channel.deputies.all())),
        "case_number": channel.case_number,
        "approved_at": iso(channel.approved_at),
        "opened_at": iso(channel.opened_at),
        "closed_at": iso(channel.closed_at),
        "next_evaluation_on": iso(channel.next_evaluation_on),
        "needs_handover_since": iso(channel.needs_handover_since),
    }
