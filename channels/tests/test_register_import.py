"""Importing Komm's spreadsheet: the dry run's verdict on every row, an all-or-nothing commit,
idempotence, both CSV dialects, and the command."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from channels.audit import action_label, entry_text
from channels.models import AuditEntry, Channel, UnitHead
from channels.register.importing import (
    ImportFileError,
    parse_registry_file,
    registry_import_commit,
    registry_import_plan,
)
from channels.register.selectors import CSV_COLUMNS, register_channels, register_row
from channels.selectors import channels_of_user
from channels.testing.factories import ChannelFactory, UnitFactory, platform
from core.people import person_is_pending

pytestmark = pytest.mark.django_db
S = Channel.State
User = get_user_model()
HEADER = ["name", "platform", "address", "state", "responsible_unit", "responsible_email",
          "deputy_emails", "closed_at", "unit_head_name", "unit_head_email"]  # fmt: skip


def row(**values) -> dict:
    base = {
        "name": "Fysik på Instagram",
        "platform": "Instagram",
        "address": "https://www.instagram.com/umu_fysik",
        "state": "active",
        "responsible_unit": "Institutionen för fysik",
        "responsible_email": "anna@umu.se",
        "deputy_emails": "david@umu.se",
    }
    return {**base, **values}


def csv_file(rows: list[dict], delimiter: str = ";", encoding: str = "utf-8-sig") -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=HEADER, delimiter=delimiter, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def plan_of(rows: list[dict], **kwargs):
    return registry_import_plan(parse_registry_file(csv_file(rows, **kwargs)))


def commit(rows: list[dict], by):
    return registry_import_commit(rows=parse_registry_file(csv_file(rows)), imported_by=by)


@pytest.fixture
def units():
    physics = UnitFactory(name="Institutionen för fysik", name_en="Department of Physics")
    komm_unit = UnitFactory(name="Kommunikationsenheten", name_en="Communications Office")
    return physics, komm_unit


@pytest.fixture
def people(owner, deputy):
    return owner, deputy


def test_a_dry_run_writes_nothing_and_says_what_each_row_would_do(units, people, komm):
    existing = ChannelFactory(
        name="Språkcaféet",
        platform=platform("facebook"),
        address="https://www.facebook.com/umu.sprakcafe",
        state=S.ACTIVE,
        address_is_planned=False,
        created_by=komm,
        responsible=people[0],
        responsible_unit=units[0],
    )
    rows = [
        row(),
        # The same channel as the register's, written another way, with a new name.
        row(name="Språkcafé", platform="facebook", address="m.facebook.com/UMU.sprakcafe/?x=1"),
    ]
    before = Channel.objects.count()
    plan = plan_of(rows)
    assert [r.outcome for r in plan.rows] == ["create", "update"]
    assert plan.rows[1].channel == existing
    assert plan.rows[1].changes[0][1:] == ("Språkcaféet", "Språkcafé")
    assert not plan.has_errors and plan.changes_anything
    assert Channel.objects.count() == before


BAD_ROWS = [
    (row(platform="Myspace"), "Unknown platform “Myspace”."),
    (row(address="https://www.facebook.com/umu_fysik"), "The address is not on Instagram"),
    (row(address="not an address"), "is not a web address"),
    (row(responsible_unit="Institutionen för alkemi"), "Unknown unit"),
    (row(responsible_email=""), "The responsible person is missing."),
    (row(responsible_email="someone@gmail.com"), "is not a university e-mail address"),
    (row(name=""), "The name is missing."),
    (row(name="x" * 201), "The name is longer than 200 characters."),
    (row(state="draft"), "can be imported only as active, approved or closed"),
    (row(state="sleeping"), "Unknown state"),
    (row(state="closed"), "A closed channel needs the date it was closed"),
    (row(closed_at="31/01/2024", state="closed"), "is not a date"),
    (row(deputy_emails="anna@umu.se"), "cannot also be a deputy"),
    (row(unit_head_name="Per Fysiker"), "Give both the head of unit's name and e-mail"),
]


@pytest.mark.parametrize(("bad", "reason"), BAD_ROWS, ids=[r for _b, r in BAD_ROWS])
def test_each_bad_row_is_an_error_with_its_reason(units, people, bad, reason):
    plan = plan_of([row(address="https://www.instagram.com/umu_ok"), bad])
    assert plan.rows[0].outcome == "create"
    assert plan.rows[1].outcome == "error"
    assert any(reason in error for error in plan.rows[1].errors), plan.rows[1].errors
    assert plan.has_errors


def test_duplicates_within_the_file_and_against_a_pending_registration(units, people, owner):
    ChannelFactory(
        name="Väntar",
        address="https://www.instagram.com/umu_pending",
        state=S.AWAITING_KOMM,
        created_by=owner,
    )
    plan = plan_of(
        [
            row(),
            row(name="Samma igen", address="instagram.com/UMU_FYSIK/"),
            row(name="Väntar", address="https://instagram.com/umu_pending"),
        ]
    )
    assert "the same address as row 2" in plan.rows[1].errors[0]
    assert "already registered as “Väntar”" in plan.rows[2].errors[0]


def test_a_deactivated_person_blocks_a_new_channel(units, people, deputy):
    deputy.is_active = False
    deputy.save()
    plan = plan_of([row()])
    assert plan.rows[0].errors == ["The account of david@umu.se is deactivated."]


def test_the_commit_creates_running_channels_marked_as_imported(units, people, komm):
    plan = commit(
        [
            row(unit_head_name="Per Fysiker", unit_head_email="per.fysiker@umu.se"),
            row(
                name="Humanistdagen",
                platform="x",
                address="https://twitter.com/umu_humanistdagen",
                state="closed",
                closed_at="2024-01-31",
                responsible_email="nora.nyberg@umu.se",
                deputy_emails="",
            ),
        ],
        komm,
    )
    assert [r.outcome for r in plan.rows] == ["create", "create"]
    active = Channel.objects.get(name="Fysik på Instagram")
    assert active.state == S.ACTIVE and not active.address_is_planned
    assert active.responsible_unit == units[0] and active.sender_unit == units[0]
    assert list(active.deputies.all()) == [people[1]]
    assert active in channels_of_user(people[0]) and active in channels_of_user(people[1])
    closed = Channel.objects.get(name="Humanistdagen")
    assert (
        closed.state == S.CLOSED
        and timezone.localdate(closed.closed_at).isoformat() == "2024-01-31"
    )
    assert closed.address_key == "x.com/umu_humanistdagen"
    assert person_is_pending(closed.responsible)  # as the wizard does for a new address
    assert UnitHead.objects.filter(unit=units[0], email="per.fysiker@umu.se").exists()
    entry = active.audit_entries.get()
    assert entry.action == AuditEntry.Action.IMPORTED and entry.actor == komm
    assert entry.to_state == S.ACTIVE
    with translation.override("en"):
        assert action_label(entry.action) == "Imported from Komm's spreadsheet"
        assert entry_text(entry) == "Entered into the register from row 2 of the imported file."
    with translation.override("sv"):
        assert "rad 2" in entry_text(entry)


def test_one_bad_row_and_nothing_is_written(units, people, komm):
    channels, heads, users = Channel.objects.count(), UnitHead.objects.count(), User.objects.count()
    rows = [
        row(unit_head_name="Per Fysiker", unit_head_email="per.fysiker@umu.se"),
        row(name="Ny", address="https://www.instagram.com/umu_ny", responsible_email="ny@umu.se"),
        row(name="Trasig", address="https://www.instagram.com/umu_x", platform="Myspace"),
    ]
    with pytest.raises(ValidationError):
        commit(rows, komm)
    assert (Channel.objects.count(), UnitHead.objects.count(), User.objects.count()) == (
        channels,
        heads,
        users,
    )


def test_a_repeat_import_of_the_same_file_changes_nothing(units, people, komm):
    rows = [row(unit_head_name="Per Fysiker", unit_head_email="per.fysiker@umu.se")]
    commit(rows, komm)
    counts = (Channel.objects.count(), AuditEntry.objects.count(), UnitHead.objects.count())
    again = commit(rows, komm)
    assert [r.outcome for r in again.rows] == ["unchanged"]
    assert not again.changes_anything
    assert (Channel.objects.count(), AuditEntry.objects.count(), UnitHead.objects.count()) == counts


def test_an_update_changes_only_what_differs_and_is_audited(units, people, komm):
    commit([row()], komm)
    channel = Channel.objects.get()
    plan = commit([row(name="Fysik på IG", responsible_unit="Communications Office")], komm)
    assert plan.rows[0].outcome == "update"
    channel.refresh_from_db()
    assert channel.name == "Fysik på IG" and channel.responsible_unit == units[1]
    entry = channel.audit_entries.latest("pk")
    assert entry.params == {"row": 2, "kind": "updated"}
    assert entry.changes["name"] == ["Fysik på Instagram", "Fysik på IG"]


def test_an_import_never_changes_a_registered_channels_state_or_people(units, people, komm):
    commit([row()], komm)
    state = plan_of([row(state="closed", closed_at="2025-01-01")]).rows[0]
    assert state.outcome == "error" and "does not change states" in state.errors[0]
    moved = plan_of([row(responsible_email="erik@umu.se", deputy_emails="")]).rows[0]
    assert moved.outcome == "unchanged"
    assert "use a handover" in moved.notes[0]


def test_both_dialects_and_encodings_give_the_same_dry_run(units, people):
    rows = [row(name="Fysik för alla – Umeå"), row(address="instagram.com/umu_2", name="Två")]
    expected = [(r.number, r.outcome, r.name) for r in plan_of(rows).rows]
    for delimiter, encoding in [
        (",", "utf-8"),
        (",", "utf-8-sig"),
        (";", "cp1252"),
        ("\t", "utf-8"),
    ]:
        plan = plan_of(rows, delimiter=delimiter, encoding=encoding)
        assert [(r.number, r.outcome, r.name) for r in plan.rows] == expected, (delimiter, encoding)


def test_a_file_without_the_required_columns_is_refused():
    with pytest.raises(ImportFileError, match="responsible_email"):
        parse_registry_file(b"name;platform;address;responsible_unit\nA;x;x.com/a;Fysik\n")
    with pytest.raises(ImportFileError):
        parse_registry_file(b"")


def test_an_export_imports_as_unchanged(units, people, komm):
    commit([row()], komm)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    writer.writerows(register_row(c) for c in register_channels())
    plan = registry_import_plan(parse_registry_file(out.getvalue().encode()))
    assert [r.outcome for r in plan.rows] == ["unchanged"], plan.rows[0].errors


def test_only_komm_commits(units, people, colleague):
    with pytest.raises(PermissionDenied):
        commit([row()], colleague)
    assert not Channel.objects.exists()


def test_the_command_is_a_dry_run_unless_told_to_commit(units, people, komm, tmp_path):
    good = tmp_path / "good.csv"
    good.write_bytes(csv_file([row()]))
    out = io.StringIO()
    call_command("import_registry", str(good), stdout=out)
    assert "create" in out.getvalue() and "Fysik på Instagram" in out.getvalue()
    assert not Channel.objects.exists()
    call_command("import_registry", str(good), "--commit", "--user", "karin", stdout=io.StringIO())
    assert Channel.objects.get().created_by == komm
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_file([row(address="https://www.instagram.com/b", platform="Myspace")]))
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_registry", str(bad), "--commit", "--user", "karin", stdout=out)
    assert "Unknown platform" in out.getvalue()
    assert Channel.objects.count() == 1


def test_every_column_is_documented_in_the_docs_and_on_the_page():
    from pathlib import Path

    from django.conf import settings

    from channels.register.importing import IMPORT_COLUMNS

    docs = (Path(settings.BASE_DIR) / "docs" / "registry-import.md").read_text()
    page = (Path(settings.BASE_DIR) / "templates/channels/register/import.html").read_text()
    for column in IMPORT_COLUMNS:
        assert f"`{column}`" in docs and f"<code>{column}</code>" in page, column
