"""The API's docs page, read from the OpenAPI document the API itself serves, so the page cannot
drift from the code: each endpoint's path, parameters, the fields of its answer and an example.
The words around them are ours, in Swedish and English (the schema's own texts are English).

Why not ninja's Swagger UI: it is English only, its page has no language and is not the
portal's frame, so it could not pass our accessibility checks; this page is plain HTML."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from channels.public.api import api

# What each endpoint answers, by its path below /api/v1.
ENDPOINT_TEXT = {
    "/channels": _(
        "Official and closed channels, with the directory's filters, 50 to a page. "
        "Without filters, all of them. To read them all, follow each answer's “next” until "
        "it is null: as fast on the last page as on the first."
    ),
    "/channels/{channel_id}": _("One channel of the directory, by its id."),
    "/verify": _(
        "Is this address or handle one of the university's channels? The verdict is "
        "official, closed or unknown, with the matching channels."
    ),
    "/platforms": _("The platforms, with the domains their channels' addresses are on."),
    "/units": _("The university's units, a tree by parent_id, in Swedish and English."),
}
PARAMETER_TEXT = {
    "q": _("Part of the channel's name, or its handle or address."),
    "platform": _("A platform's slug, from /platforms."),
    "unit": _("A unit's id, from /units; the units under it are included."),
    "language": _("The channel's language: sv, en, sv_en or other."),
    "page": _("The page, from 1."),
    "after": _("Where the previous answer ended, as its “next” gives it; then page is not read."),
    "channel_id": _("The channel's id."),
    "url": _("The account's address or handle, e.g. https://x.com/umu or @umu."),
}
EXAMPLE_QUERY = {
    "/channels": "?platform=instagram&page=1",
    "/channels/{channel_id}": "",
    "/verify": "?url=https://twitter.com/umu_humanistdagen",
}


@dataclass(frozen=True)
class Parameter:
    name: str
    where: str
    type: str
    required: bool
    text: str


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    text: str
    parameters: list[Parameter]
    fields: list[tuple[str, str]]
    example_path: str


def _type(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " | ".join(_type(option) for option in schema["anyOf"])
    if schema.get("type") == "array":
        return f"list[{_type(schema.get('items', {}))}]"
    return str(schema.get("format") or schema.get("type", ""))


def _fields(schema: dict[str, Any], components: dict[str, Any]) -> list[tuple[str, str]]:
    """The answer's fields as (name, type); a list's are those of its items."""
    if schema.get("type") == "array":
        schema = schema.get("items", {})
    if "$ref" in schema:
        schema = components.get(schema["$ref"].rsplit("/", 1)[-1], {})
    return [(name, _type(prop)) for name, prop in schema.get("properties", {}).items()]


def api_endpoints(*, example_id: int = 1) -> tuple[str, list[Endpoint]]:
    """The API's root path and its endpoints, from the OpenAPI document it serves; the example
    of one channel shows the channel `example_id`."""
    schema = api.get_openapi_schema()
    components = schema.get("components", {}).get("schemas", {})
    root = api.get_root_path({}).rstrip("/")
    endpoints = []
    for path, operations in schema["paths"].items():
        short = path.removeprefix(root)
        for method, operation in operations.items():
            responses = operation["responses"]  # keyed by int until served as JSON
            answer = (responses.get(200) or responses.get("200") or {}).get("content", {})
            parameters = [
                Parameter(
                    p["name"],
                    p["in"],
                    _type(p.get("schema", {})),
                    p.get("required", False),
                    str(PARAMETER_TEXT.get(p["name"], "")),
                )
                for p in operation.get("parameters", [])
            ]
            example = short.replace("{channel_id}", str(example_id)) + EXAMPLE_QUERY.get(short, "")
            endpoints.append(
                Endpoint(
                    method.upper(),
                    path,
                    str(ENDPOINT_TEXT.get(short, operation.get("description", ""))),
                    parameters,
                    _fields(answer.get("application/json", {}).get("schema", {}), components),
                    root + example,
                )
            )
    return root, endpoints
