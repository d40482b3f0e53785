"""The one way workflow apps add to the registry's pages, so that `channels` knows none of them.

The registry's pages (the channel page, "My channels", the wizard's review step) have named
slots. A workflow app fills them in its AppConfig.ready() with its own templates; the page
includes each template of a slot, in order, with the page's context. What a template shows it
reads through its own app's template tags. Like the admin's `register`, but for page sections.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

# The slots, where they are on the page, and what the page's context offers their templates.
SLOTS = {
    # In the channel page's "Next step" card: `channel`, `can_edit`, `request`.
    "channel_actions": "channel page, next step card",
    # Sections of the channel page after its evaluations.
    "channel_sections": "channel page, after the evaluations",
    # Sections of the channel page after the registration (its decisions).
    "channel_decisions": "channel page, after the registration",
    # Above the list of "My channels": `request`.
    "owner_page_top": "My channels, above the list",
    # The review step of the wizard, where a complete registration is sent on: `channel`.
    "wizard_submit": "wizard, review step",
    # Below a wizard step's guidance, above its form: `channel`, `step`.
    "wizard_step": "wizard, above a step's form",
    # The evaluation form, above the form: `channel`.
    "evaluation_top": "evaluation form, above the form",
    # The public verify page, when the account is not in the register: `form`, `request`.
    "verify_unknown": "public verify page, account not in the register",
}

_templates: dict[str, list[tuple[int, str]]] = defaultdict(list)
_owner_page_prefetches: list[str] = []


def add_template(slot: str, template: str, *, order: int = 100) -> None:
    """Show `template` in `slot` of the registry's pages (lower `order` first)."""
    if slot not in SLOTS:
        raise ValueError(f"No slot {slot!r} on the registry's pages; the slots are {list(SLOTS)}")
    if template not in (name for _order, name in _templates[slot]):
        _templates[slot].append((order, template))
        _templates[slot].sort()


def templates(slot: str) -> list[str]:
    return [name for _order, name in _templates[slot]]


def add_owner_page_prefetch(*lookups: str) -> None:
    """Relations the "channel_facts" providers read, prefetched for a whole page of "My channels"
    so that a row costs no query."""
    _owner_page_prefetches.extend(
        lookup for lookup in lookups if lookup not in _owner_page_prefetches
    )


def owner_page_prefetches() -> list[str]:
    return list(_owner_page_prefetches)


# --- Someone was named before they ever signed in (core.people) -------------------------------
# The registry names people (the wizard's people step) but the e-mails are the workflows'
# (approvals.emails), so the registry tells whoever listens: callback(person=, named_by=,
# channel=, role=) with role "responsible" or "deputy".

_people_named: list[Callable[..., None]] = []


def on_person_named(callback: Callable[..., None]) -> None:
    if callback not in _people_named:
        _people_named.append(callback)


def person_named(**event) -> None:
    for callback in _people_named:
        callback(**event)


# --- What the workflows know of a channel's next step (channels.next_step) --------------------
# A provider(channel) returns a dict of channels.next_step.Facts' workflow fields ("handover",
# "closure", "start_handover_url", "review_url"). It reads relations through `.all()`, which
# "My channels" prefetches (add_owner_page_prefetch), so a row costs no query.

_channel_facts: list[Callable[..., dict]] = []


def add_channel_facts(provider: Callable[..., dict]) -> None:
    if provider not in _channel_facts:
        _channel_facts.append(provider)


def channel_facts(channel) -> dict:
    facts: dict = {}
    for provider in _channel_facts:
        facts.update(provider(channel))
    return facts
