"""Komm's register: every channel in every state, filtered, sorted, counted and exported."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from channels.models import Channel
from channels.register.selectors import CSV_COLUMNS
from channels.testing.factories import ChannelFactory, platform

pytestmark = pytest.mark.django_db
S = Channel.State


@pytest.fixture
def register(owner):
    return [
        ChannelFactory(name="Utkast", created_by=owner),
        ChannelFactory(name="Aktiv", state=S.ACTIVE, address_is_planned=False, created_by=owner),
        ChannelFactory(
            name="Stängd",
            state=S.CLOSED,
            platform=platform("x"),
            address="https://x.com/a",
            created_by=owner,
        ),
    ]


def test_komm_sees_every_state_with_counts_and_filters(client, komm, register):
    client.force_login(komm)
    page = client.get(reverse("channels:register"))
    assert {c.name for c in page.context["page_obj"]} == {"Utkast", "Aktiv", "Stängd"}
    counts = dict(page.context["counts"])
    assert counts["Draft"] == 1 and counts["Closed"] == 1 and counts["Rejected by Komm"] == 0
    drafts = client.get(reverse("channels:register"), {"state": S.DRAFT})
    assert [c.name for c in drafts.context["page_obj"]] == ["Utkast"]
    by_platform = client.get(reverse("channels:register"), {"platform": "x", "sort": "-updated"})
    assert [c.name for c in by_platform.context["page_obj"]] == ["Stängd"]


def test_the_register_costs_the_same_queries_for_more_channels(client, komm, register, owner):
    client.force_login(komm)
    url = reverse("channels:register")
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(10):
        ChannelFactory(name=f"K{n}", created_by=owner)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_csv_export_has_stable_columns_and_the_filtered_rows(client, komm, register, owner):
    client.force_login(komm)
    response = client.get(reverse("channels:register_csv"), {"state": S.ACTIVE})
    assert response["Content-Disposition"].startswith("attachment;")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert [r["name"] for r in rows] == ["Aktiv"]
    assert rows[0]["responsible_email"] == owner.email
    everything = client.get(reverse("channels:register_csv")).content.decode("utf-8-sig")
    assert len(list(csv.DictReader(io.StringIO(everything)))) == 3


def test_export_registry_command_writes_csv_and_json(register, tmp_path):
    from django.core.management import call_command

    out = io.StringIO()
    call_command("export_registry", "--format", "csv", stdout=out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert tuple(rows[0]) == CSV_COLUMNS and len(rows) == 3
    target = tmp_path / "register.json"
    call_command("export_registry", "--format", "json", "--output", str(target))
    data = json.loads(target.read_text())
    assert {row["name"] for row in data} == {"Utkast", "Aktiv", "Stängd"}
    assert set(data[0]) == set(CSV_COLUMNS)
