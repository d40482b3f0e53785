"""The pages the benchmark asks for, who asks, and the rows they are about."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import psycopg2  # type: ignore[import-untyped]

from umusocial.bench.client import Client


@dataclass(frozen=True)
class Targets:
    owner_channel: int  # an active channel of bench-owner
    owner_draft: int  # a draft of bench-owner, for the wizard
    draft_address: str  # its address
    awaiting_komm: int  # a channel in Komm's queue
    platform: int  # the draft's platform
    address: str  # an address in the registry, for the verify page
    search: str  # a word that a few channels' addresses hold
    # The API nine tenths into the public register by `next` (keyset), as the API itself wrote
    # it (run.session).
    deep_next: str = ""


def find_targets(url: str) -> Targets:
    with psycopg2.connect(url) as conn, conn.cursor() as cursor:

        def one(sql: str) -> tuple:
            cursor.execute(sql)
            row = cursor.fetchone()
            if row is None:
                raise RuntimeError(f"The benchmark data has no row for: {sql}")
            return row

        owner = "(SELECT id FROM core_user WHERE username = 'bench-owner')"
        active = one(
            f"SELECT id FROM channels_channel WHERE responsible_id = {owner} "  # noqa: S608
            "AND state = 'active' ORDER BY id LIMIT 1"
        )[0]
        draft, platform, draft_address = one(
            f"SELECT id, platform_id, address FROM channels_channel WHERE responsible_id = {owner} "  # noqa: S608
            "AND state = 'draft' ORDER BY id LIMIT 1"
        )
        waiting = one(
            "SELECT id FROM channels_channel WHERE state = 'awaiting_komm' ORDER BY id LIMIT 1"
        )[0]
        address, middle = one(
            "SELECT address, id FROM channels_channel WHERE state = 'active' "
            "ORDER BY id OFFSET (SELECT count(*) / 2 FROM channels_channel) / 2 LIMIT 1"
        )
    return Targets(active, draft, draft_address, waiting, platform, address, f"bench_{middle}")


@dataclass(frozen=True)
class Page:
    name: str
    who: str  # "anonymous", "owner", "komm" or "admin"
    path: Callable[[Targets], str]
    form: Callable[[Targets], dict] | None = None  # a POST of this form, else a GET

    def request(self, client: Client, targets: Targets) -> tuple[float, int]:
        path = self.path(targets)
        if self.form is None:
            return client.timed("GET", path)
        data = {**self.form(targets), "csrfmiddlewaretoken": client.csrf_token(path)}
        return client.timed("POST", path, data)


def _wizard_step(t: Targets) -> dict:
    """The first step again, unchanged but for the name: saved, audited, duplicate-checked."""
    return {
        "name": f"Bänkkanal {t.owner_draft}",
        "platform": str(t.platform),
        "address": t.draft_address,
        "address_is_planned": "on",
        "language": "sv",
    }


PAGES: tuple[Page, ...] = (
    Page("Komm's overview", "komm", lambda t: "/approvals/komm/overview/"),
    Page("Komm's handovers list", "komm", lambda t: "/approvals/komm/handovers/"),
    Page("Komm's queue", "komm", lambda t: "/approvals/komm/"),
    Page("Komm's register", "komm", lambda t: "/channels/register/"),
    Page("Komm's moderation list", "komm", lambda t: "/approvals/komm/moderation/"),
    Page("Komm's campaign notices", "komm", lambda t: "/approvals/komm/campaigns/"),
    Page("Komm's ad orders", "komm", lambda t: "/approvals/komm/ads/"),
    Page("Komm review", "komm", lambda t: f"/approvals/komm/{t.awaiting_komm}/"),
    Page("My channels (owner of 200)", "owner", lambda t: "/channels/"),
    Page("channel page", "owner", lambda t: f"/channels/{t.owner_channel}/"),
    Page("wizard GET", "owner", lambda t: f"/channels/{t.owner_draft}/step/platform/"),
    Page(
        "wizard step POST",
        "owner",
        lambda t: f"/channels/{t.owner_draft}/step/platform/",
        form=_wizard_step,
    ),
    Page("admin channel list", "admin", lambda t: "/admin/channels/channel/"),
    Page("admin search", "admin", lambda t: f"/admin/channels/channel/?q={t.search}"),
    Page("public directory", "anonymous", lambda t: "/directory/"),
    Page("public verify", "anonymous", lambda t: f"/verify/?url={t.address}"),
    Page("API channel list", "anonymous", lambda t: "/api/v1/channels"),
    # A client reading the whole register follows `next`: nine tenths in, as fast as page 1.
    Page("API list, 9/10 in by next", "anonymous", lambda t: t.deep_next),
)
