"""The import's pages: upload and dry run, confirm; Komm's JSON export."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from channels.models import Channel
from channels.register.selectors import CSV_COLUMNS
from channels.testing.factories import ChannelFactory, UnitFactory

pytestmark = pytest.mark.django_db
S = Channel.State
HEADER = "name;platform;address;state;responsible_unit;responsible_email;deputy_emails\r\n"


def line(n: int, platform: str = "Instagram") -> str:
    return (
        f"Kanal {n};{platform};https://www.instagram.com/umu_{n};active;"
        "Institutionen för fysik;anna@umu.se;david@umu.se\r\n"
    )


def spreadsheet(*lines: str) -> SimpleUploadedFile:
    data = ("\ufeff" + HEADER + "".join(lines)).encode()
    return SimpleUploadedFile("register.csv", data, content_type="text/csv")


@pytest.fixture
def physics(owner, deputy):
    return UnitFactory(name="Institutionen för fysik", name_en="Department of Physics")


def upload(client, *lines: str):
    return client.post(reverse("channels:register_import"), {"file": spreadsheet(*lines)})


def test_komm_uploads_sees_the_dry_run_and_confirms(client, komm, physics):
    client.force_login(komm)
    assert client.get(reverse("channels:register_import")).status_code == 200
    dry = upload(client, line(1), line(2))
    assert dry.status_code == 200
    assert [r.outcome for r in dry.context["plan"].rows] == ["create", "create"]
    assert "Will create" in dry.content.decode()
    assert not Channel.objects.exists()
    token = dry.context["confirm_form"].initial["token"]
    done = client.post(reverse("channels:register_import_confirm"), {"token": token})
    assert done.status_code == 302 and done["Location"] == reverse("channels:register")
    assert set(Channel.objects.values_list("name", flat=True)) == {"Kanal 1", "Kanal 2"}
    # The same file again: nothing to import, no confirm button.
    again = upload(client, line(1), line(2))
    assert again.context["confirm_form"] is None
    assert "Nothing to import" in again.content.decode()


def test_a_file_with_an_error_cannot_be_confirmed(client, komm, physics):
    client.force_login(komm)
    dry = upload(client, line(1), line(2, platform="Myspace"))
    assert dry.context["plan"].has_errors and dry.context["confirm_form"] is None
    assert "Unknown platform" in dry.content.decode()


def test_an_unreadable_file_is_a_form_error(client, komm):
    client.force_login(komm)
    page = client.post(
        reverse("channels:register_import"),
        {"file": SimpleUploadedFile("x.csv", b"just;some;words\r\n", content_type="text/csv")},
    )
    assert page.status_code == 200
    assert "Columns missing" in page.content.decode()


def test_a_token_works_only_for_whoever_uploaded_it(client, komm, admin_user, physics):
    client.force_login(komm)
    token = upload(client, line(1)).context["confirm_form"].initial["token"]
    client.force_login(admin_user)
    refused = client.post(reverse("channels:register_import_confirm"), {"token": token})
    assert refused["Location"] == reverse("channels:register_import")
    client.force_login(komm)
    client.post(reverse("channels:register_import_confirm"), {"token": token[:-2] + "xx"})
    assert not Channel.objects.exists()


def test_a_register_changed_since_the_dry_run_writes_nothing(client, komm, owner, physics):
    client.force_login(komm)
    token = upload(client, line(1), line(2)).context["confirm_form"].initial["token"]
    ChannelFactory(
        name="Kom före",
        address="https://www.instagram.com/umu_2",
        state=S.AWAITING_KOMM,
        created_by=owner,
    )
    page = client.post(reverse("channels:register_import_confirm"), {"token": token})
    assert page.status_code == 409
    assert page.context["plan"].has_errors
    assert list(Channel.objects.values_list("name", flat=True)) == ["Kom före"]


def test_the_dry_run_costs_the_same_queries_for_more_rows(client, komm, physics):
    client.force_login(komm)
    token = upload(client, *(line(n) for n in range(10))).context["confirm_form"].initial["token"]
    client.post(reverse("channels:register_import_confirm"), {"token": token})
    assert Channel.objects.count() == 10
    with CaptureQueriesContext(connection) as few:
        upload(client, line(1), line(30))
    # Half of the rows are already in the register, half are new.
    with CaptureQueriesContext(connection) as many:
        page = upload(client, *(line(n) for n in range(20)))
    assert {r.outcome for r in page.context["plan"].rows} == {"unchanged", "create"}
    assert len(many) == len(few)


def test_json_export_has_the_csv_fields_and_the_filtered_rows(client, komm, owner):
    ChannelFactory(name="Utkast", created_by=owner)
    ChannelFactory(name="Aktiv", state=S.ACTIVE, address_is_planned=False, created_by=owner)
    client.force_login(komm)
    response = client.get(reverse("channels:register_json"), {"state": S.ACTIVE})
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    rows = json.loads(response.content)
    assert [r["name"] for r in rows] == ["Aktiv"]
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(json.loads(client.get(reverse("channels:register_json")).content)) == 2
