"""The open API: what the directory shows, as JSON, with its published OpenAPI schema."""

from __future__ import annotations

import datetime
import json
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from channels.models import Channel
from channels.testing.factories import ChannelFactory, UnitFactory, platform

pytestmark = pytest.mark.django_db
S = Channel.State
SCHEMA = Path(settings.BASE_DIR) / "docs" / "openapi-v1.json"


@pytest.fixture
def register(owner):
    unit = UnitFactory(name="Fysik", public_email="fysik@umu.se")
    made = {}
    for name, state, address, slug in [
        ("Fysik på LinkedIn", S.ACTIVE, "https://www.linkedin.com/company/umu-fysik", "linkedin"),
        ("Humanistdagen", S.CLOSED, "https://x.com/umu_humanistdagen", "x"),
        ("Hemligt utkast", S.DRAFT, "https://www.instagram.com/umu_draft", "instagram"),
        ("Avslagen", S.REJECTED, "https://www.instagram.com/umu_nej", "instagram"),
    ]:
        made[state] = ChannelFactory(
            name=name,
            state=state,
            address=address,
            platform=platform(slug),
            address_is_planned=state != S.ACTIVE,
            created_by=owner,
            sender_unit=unit,
            closed_at=timezone.make_aware(datetime.datetime(2025, 3, 1, 12))
            if state == S.CLOSED
            else None,
        )
    return made


def test_channels_lists_official_and_closed_only_without_people(client, register, owner):
    response = client.get("/api/v1/channels")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    body = response.json()
    assert body["count"] == 2
    by_name = {c["name"]: c for c in body["results"]}
    assert set(by_name) == {"Fysik på LinkedIn", "Humanistdagen"}
    assert by_name["Humanistdagen"]["status"] == "closed"
    assert by_name["Humanistdagen"]["closed_on"] == "2025-03-01"
    assert by_name["Fysik på LinkedIn"]["contact"] == "fysik@umu.se"
    assert owner.email not in response.content.decode()


def test_channels_filters_and_one_channel(client, register):
    only_x = client.get("/api/v1/channels", {"platform": "x"}).json()
    assert [c["name"] for c in only_x["results"]] == ["Humanistdagen"]
    active = register[S.ACTIVE]
    assert client.get(f"/api/v1/channels/{active.pk}").json()["name"] == "Fysik på LinkedIn"
    draft = client.get(f"/api/v1/channels/{register[S.DRAFT].pk}")
    assert draft.status_code == 404
    assert draft.json() == {"detail": "Not found."}


def test_verify(client, register):
    closed = client.get("/api/v1/verify", {"url": "https://twitter.com/umu_humanistdagen"})
    assert closed.json()["verdict"] == "closed"
    official = client.get("/api/v1/verify", {"url": "linkedin.com/company/UMU-Fysik/"}).json()
    assert official["verdict"] == "official"
    assert official["channels"][0]["name"] == "Fysik på LinkedIn"
    unknown = client.get("/api/v1/verify", {"url": "https://www.instagram.com/umu_draft"}).json()
    assert unknown == {"verdict": "unknown", "channels": []}
    assert client.get("/api/v1/verify").status_code == 422  # url is required


def test_platforms_and_units(client, register):
    slugs = {p["slug"] for p in client.get("/api/v1/platforms").json()}
    assert {"linkedin", "x", "instagram"} <= slugs
    units = client.get("/api/v1/units").json()
    assert {"Fysik"} <= {u["name"] for u in units}


def test_channel_list_costs_the_same_queries_for_any_number_of_channels(client, register, owner):
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/channels")
    for n in range(20):
        ChannelFactory(name=f"K{n}", state=S.ACTIVE, address_is_planned=False, created_by=owner)
    with CaptureQueriesContext(connection) as many:
        client.get("/api/v1/channels")
    assert len(many) == len(few)


def test_clients_are_throttled_with_retry_after(client, register):
    answers = [client.get("/api/v1/platforms") for _ in range(61)]
    assert answers[-1].status_code == 429
    assert int(answers[-1]["Retry-After"]) > 0


def test_the_published_schema_matches_the_code(client):
    """docs/openapi-v1.json is what clients build against. When the API changes on purpose,
    regenerate it: `UPDATE_OPENAPI=1 pytest channels/tests/test_public_api.py -k schema`."""
    served = client.get("/api/v1/openapi.json").json()
    assert served["openapi"].startswith("3.")
    if os.environ.get("UPDATE_OPENAPI"):
        SCHEMA.write_text(json.dumps(served, indent=2, ensure_ascii=False) + "\n")
    assert served == json.loads(SCHEMA.read_text())


def test_answers_carry_an_etag_and_an_unchanged_register_answers_304(client, register, owner):
    first = client.get("/api/v1/channels", {"platform": "x"})
    etag = first["ETag"]
    assert etag and "max-age=300" in first["Cache-Control"] and first["Last-Modified"]
    again = client.get("/api/v1/channels", {"platform": "x"}, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert again["Access-Control-Allow-Origin"] == "*"
    # Another query is another answer; so is the same query once the register changed.
    assert client.get("/api/v1/channels", HTTP_IF_NONE_MATCH=etag).status_code == 200
    ChannelFactory(name="Ny", state=S.ACTIVE, address_is_planned=False, created_by=owner)
    changed = client.get("/api/v1/channels", {"platform": "x"}, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    for path in ("/api/v1/platforms", "/api/v1/units", "/api/v1/verify?url=x.com/a"):
        tag = client.get(path)["ETag"]
        assert client.get(path, HTTP_IF_NONE_MATCH=tag).status_code == 304, path


def test_following_next_reads_every_channel_once_in_order(client, owner, monkeypatch):
    """Keyset pages: the same name twice (ordered by id then), a filter kept on every page."""
    from channels.public import api

    monkeypatch.setattr(api, "PAGE_SIZE", 2)
    for name in ["Beta", "Alfa", "Beta", "Gamma", "Beta", "Delta"]:
        ChannelFactory(name=name, state=S.ACTIVE, address_is_planned=False, created_by=owner)
    ChannelFactory(name="Alfa", state=S.DRAFT, created_by=owner)  # not public
    expected = list(
        Channel.objects.filter(state=S.ACTIVE).order_by("name", "pk").values_list("pk", flat=True)
    )

    seen, pages, url = [], [], "/api/v1/channels?language=sv&page=1"
    while url:
        body = client.get(url).json()
        pages.append(body["page"])
        seen += [channel["id"] for channel in body["results"]]
        url = body["next"]
        assert url is None or ("language=sv" in url and "page=" not in url)

    assert seen == expected
    assert pages == [1, None, None]  # by number first, then by position
    last = client.get("/api/v1/channels?page=3").json()
    assert last["next"] is None and len(last["results"]) == 2


@pytest.mark.parametrize(
    "after", ["nonsense", "W10", "eyJhIjogMX0", "WyJBbGZhIiwgIjEiXQ", "%%%", "WzEsIDJd"]
)
def test_an_after_not_written_by_the_api_is_a_clear_400(client, register, after):
    response = client.get("/api/v1/channels", {"after": after})
    assert response.status_code == 400
    assert response.json() == {"detail": "Invalid 'after': use the 'next' of a previous answer."}
