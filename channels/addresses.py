"""One form of a channel's address, whatever way it was typed: the key the registry matches on.

`address_key("HTTPS://m.Twitter.com/UMU_x/?lang=sv#top")` and `address_key("x.com/umu_x")` are
both "x.com/umu_x". The duplicate check of the wizard and the admin, and the public verify page,
compare keys, never the typed text. Plain functions, importing nothing of the app, so the model,
the services, the migration and the public pages share them.

The rules are per platform, chosen by the address's host; an unknown host keeps its path as
typed (lower-cased, without query, fragment or trailing slash). Where a platform has two names
for one account we map them together (twitter.com and x.com; LinkedIn's company/ and school/,
which redirect to each other); where the names differ in kind (YouTube's @handle, channel/,
c/ and user/) we cannot tell without asking the platform, so they stay apart.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

# Prefixes of a host that name the same site (the mobile and "basic" versions).
_HOST_PREFIXES = ("www.", "m.", "mobile.", "mbasic.", "web.")
# Hosts that are another name of the same site.
_HOST_ALIASES = {
    "twitter.com": "x.com",
    "fb.com": "facebook.com",
    "threads.net": "threads.com",
}
# "@user@server" (Mastodon and the fediverse) typed as a handle.
_FEDIVERSE_HANDLE = re.compile(r"^@?([\w.-]+)@([a-z0-9-]+(?:\.[a-z0-9-]+)+)$", re.IGNORECASE)


def _host(raw: str) -> str:
    host = raw.lower().rstrip(".")
    for prefix in _HOST_PREFIXES:
        if host.startswith(prefix):
            host = host[len(prefix) :]
            break
    host = _HOST_ALIASES.get(host, host)
    # A country's or a language's subdomain (se.linkedin.com, sv-se.facebook.com).
    for known in _PLATFORM_RULES:
        if host.endswith("." + known):
            return known
    return host


def _first(segments: list[str]) -> list[str]:
    return segments[:1]


def _facebook(segments: list[str], query: str) -> list[str]:
    if segments[:1] == ["profile.php"]:
        ids = parse_qs(query).get("id")
        return [f"profile.php?id={ids[0]}"] if ids else ["profile.php"]
    return segments[:1]


def _tiktok(segments: list[str], query: str) -> list[str]:
    return ["@" + segments[0].lstrip("@")] if segments else []


def _youtube(segments: list[str], query: str) -> list[str]:
    if not segments:
        return []
    if segments[0].startswith("@"):
        return segments[:1]
    if segments[0] in ("channel", "c", "user"):
        return segments[:2]
    # youtube.com/Name is the old custom address, the same as youtube.com/c/Name.
    return ["c", segments[0]]


def _linkedin(segments: list[str], query: str) -> list[str]:
    if len(segments) >= 2 and segments[0] in ("company", "school"):
        return ["company", segments[1]]
    return segments[:2]


def _bluesky(segments: list[str], query: str) -> list[str]:
    return segments[:2] if segments[:1] == ["profile"] else segments


def _x(segments: list[str], query: str) -> list[str]:
    return [segments[0].lstrip("@")] if segments else []


_PLATFORM_RULES = {
    "facebook.com": _facebook,
    "x.com": _x,
    "instagram.com": lambda segments, query: _first(segments),
    "threads.com": lambda segments, query: _first(segments),
    "tiktok.com": _tiktok,
    "youtube.com": _youtube,
    "linkedin.com": _linkedin,
    "bsky.app": _bluesky,
}


def address_key(address: str) -> str:
    """The address's one form: host without www./m./mobile., then the platform's account path,
    all lower case. A Mastodon account is "@user@server" however it was given."""
    text = (address or "").strip()
    if not text:
        return ""
    fediverse = _FEDIVERSE_HANDLE.match(text)
    if fediverse:
        return f"@{fediverse[1]}@{_host(fediverse[2])}".lower()
    if "://" not in text:
        text = "https://" + text.lstrip("/")
    parts = urlsplit(text)
    host = _host(parts.hostname or "")
    segments = [s for s in parts.path.lower().split("/") if s]
    rule = _PLATFORM_RULES.get(host)
    if rule is not None:
        segments = rule(segments, parts.query)
    elif segments and segments[0].startswith("@") and len(segments[0]) > 1:
        # server/@user: a Mastodon (or other fediverse) account.
        return f"{segments[0]}@{host}".lower()
    elif segments[:1] == ["users"] and len(segments) > 1:
        return f"@{segments[1]}@{host}".lower()
    return "/".join([host, *segments]).lower()


def looks_like_handle(text: str) -> bool:
    """A bare handle ("@umu", "umu.fysik", "umu.bsky.social"): no scheme, no path, and not
    "@user@server" (that is a Mastodon account, an address of its own)."""
    text = text.strip()
    return (
        bool(text)
        and "/" not in text
        and ":" not in text
        and not _FEDIVERSE_HANDLE.match(text)
        and " " not in text
    )


def handle_of(text: str) -> str:
    return text.strip().lstrip("@").lower()
