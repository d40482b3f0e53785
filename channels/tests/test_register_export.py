"""The register's CSV and JSON writer (channels.register.export)."""

from __future__ import annotations

import csv
import io
import json

import pytest

from channels.models import Channel
from channels.register.export import register_write
from channels.register.importing import parse_registry_file, registry_import_plan
from channels.register.selectors import CSV_COLUMNS, register_channels, register_row
from channels.testing.factories import ChannelFactory

pytestmark = pytest.mark.django_db
FORMULA = '=HYPERLINK("https://evil.example/","Klicka")'


def export(fmt: str) -> str:
    out = io.StringIO()
    register_write(out, [register_row(c) for c in register_channels()], fmt=fmt)
    return out.getvalue()


def test_csv_has_the_documented_columns_and_one_line_per_channel():
    ChannelFactory.create_batch(2)
    lines = list(csv.reader(io.StringIO(export("csv"))))
    assert lines[0] == list(CSV_COLUMNS)
    assert len(lines) == 3


def test_a_name_that_a_spreadsheet_would_run_as_a_formula_is_written_as_text():
    ChannelFactory(name=FORMULA)
    cells = next(csv.DictReader(io.StringIO(export("csv"))))
    assert cells["name"] == "'" + FORMULA


def test_json_keeps_the_name_as_it_is():
    ChannelFactory(name=FORMULA)
    assert json.loads(export("json"))[0]["name"] == FORMULA


def test_the_import_reads_the_neutralised_name_back_as_it_was():
    ChannelFactory(name=FORMULA, state=Channel.State.ACTIVE, address_is_planned=False)
    rows = parse_registry_file(export("csv").encode())
    assert rows[0].values["name"] == FORMULA
    assert registry_import_plan(rows).rows[0].outcome == "unchanged"
