"""The moderation log's pages: recording with a screenshot, the attachments' guard, the channel
page's section, the export (CSV and print) and Komm's view across channels."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from approvals.models import ModerationEntry
from approvals.testing import moderation as uploads
from approvals.testing.factories import ModerationAttachmentFactory, ModerationEntryFactory
from channels.testing.factories import ChannelFactory

pytestmark = pytest.mark.django_db

Kind = ModerationEntry.Kind


def local_input(value: datetime.datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def test_a_deputy_records_a_removal_with_a_screenshot(client, active, deputy):
    client.force_login(deputy)
    url = reverse("approvals:moderation_record", args=[active.pk, "removal"])
    assert client.get(url).status_code == 200

    response = client.post(
        url,
        {
            "happened_at": local_input(timezone.now() - datetime.timedelta(hours=1)),
            "what": "Rasistisk kommentar under inlägget om antagningen.",
            "handle": "@hatare",
            "post_url": "https://www.instagram.com/p/abc/",
            "ground": "agitation",
            "attachments": [uploads.screenshot()],
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("approvals:moderation_log", args=[active.pk])
    entry = ModerationEntry.objects.get()
    assert (entry.recorded_by, entry.kind, entry.handle) == (deputy, Kind.REMOVAL, "@hatare")
    page = client.get(response["Location"]).content.decode()
    assert "Rasistisk kommentar" in page
    assert reverse("approvals:moderation_attachment", args=[entry.attachments.get().key]) in page


def test_bad_input_shows_the_message_and_records_nothing(client, active, owner):
    client.force_login(owner)
    url = reverse("approvals:moderation_record", args=[active.pk, "removal"])

    response = client.post(
        url,
        {
            "happened_at": local_input(timezone.now() + datetime.timedelta(days=1)),
            "what": "x",
            "ground": "copyright",
            "attachments": [uploads.executable(name="virus.exe")],
        },
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "It cannot have happened in the future." in page
    assert "is not a screenshot or a PDF" in page
    assert not ModerationEntry.objects.exists()


@pytest.mark.parametrize("persona", ["owner", "komm"])
def test_the_owner_and_komm_get_the_attachment(client, request, active, persona):
    attachment = ModerationAttachmentFactory(entry__channel=active)
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("approvals:moderation_attachment", args=[attachment.key]))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG")
    assert "no-store" in response["Cache-Control"]


def test_another_member_of_staff_gets_404_for_an_attachment(client, active, colleague):
    attachment = ModerationAttachmentFactory(entry__channel=active)
    client.force_login(colleague)

    response = client.get(reverse("approvals:moderation_attachment", args=[attachment.key]))

    assert response.status_code == 404
    assert b"PNG" not in response.content


def test_the_channel_page_shows_the_last_entry_and_the_blocked(client, active, owner, colleague):
    ModerationEntryFactory(channel=active, kind=Kind.BLOCKING, handle="@blockerad")
    client.force_login(owner)

    page = client.get(active.get_absolute_url()).content.decode()

    assert "Last entry: Blocking" in page
    assert "@blockerad" in page
    client.force_login(colleague)
    assert client.get(active.get_absolute_url()).status_code == 404


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_csv_holds_every_entry_of_the_period_and_its_attachments(client, active, owner):
    inside = ModerationAttachmentFactory(entry__channel=active).entry
    ModerationEntryFactory(channel=active, happened_at=timezone.now() - datetime.timedelta(days=40))
    client.force_login(owner)
    start = (timezone.localdate() - datetime.timedelta(days=7)).isoformat()

    url = reverse("approvals:moderation_export", args=[active.pk, "csv"])
    rows = _csv(client.get(url, {"start": start}))

    assert rows[0][:3] == ["Entry", "Channel", "Kind"]
    assert [row[0] for row in rows[1:]] == [str(inside.pk)]
    assert rows[1][2] == "Removed content"
    assert rows[1][9] == "Breach of the channel's policy: Inga personangrepp."
    assert rows[1][-1].startswith("skarmbild.png (")
    assert len(_csv(client.get(url))) == 3


def _export_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("fmt", ["csv", "print"])
def test_the_export_costs_the_same_queries_for_10_and_50_entries(client, active, komm, fmt):
    """select_related and prefetch_related keep the recorder, the channel and the attachments
    from costing a query per row (N+1)."""
    client.force_login(komm)
    url = reverse("approvals:moderation_komm_export", args=[fmt])
    ModerationAttachmentFactory.create_batch(10, entry__channel=active)
    ten = _export_queries(client, url)
    ModerationAttachmentFactory.create_batch(40, entry__channel=ChannelFactory())
    assert _export_queries(client, url) == ten


def test_komm_filters_across_channels_and_sees_the_marks(client, active, komm):
    ModerationEntryFactory(
        channel=active, kind=Kind.CRIME, what="Hot", crime="Olaga hot", ground=""
    )
    ModerationEntryFactory(channel=ChannelFactory(), what="Reklam för casino")
    client.force_login(komm)
    url = reverse("approvals:moderation_komm")

    everything = client.get(url)
    crimes = client.get(url, {"kind": "crime", "channel": active.pk})

    assert everything.context["total"] == 2
    assert everything.context["counts"] == [("Breach of the channel's policy", 1)]
    assert crimes.context["total"] == 1
    assert "Not reported" in crimes.content.decode()
    assert "casino" not in crimes.content.decode()


def test_komm_exports_all_channels_as_a_printable_page(client, active, komm):
    other = ModerationEntryFactory(channel=ChannelFactory(name="Annan kanal"))
    ModerationEntryFactory(channel=active)
    client.force_login(komm)

    response = client.get(reverse("approvals:moderation_komm_export", args=["print"]))

    page = response.content.decode()
    assert "css/print.css" in page
    assert "Annan kanal" in page and active.name in page
    assert f"#{other.pk}" in page


def test_the_wizards_routines_step_points_to_the_log(client, draft, owner):
    client.force_login(owner)

    page = client.get(reverse("channels:step", args=[draft.pk, "routines"])).content.decode()

    assert "you record every removal" in page
    assert reverse("approvals:moderation_log", args=[draft.pk]) in page
    other = client.get(reverse("channels:step", args=[draft.pk, "purpose"])).content.decode()
    assert "you record every removal" not in other


def test_the_evaluation_shows_the_periods_counts_per_kind(client, active, owner):
    ModerationEntryFactory.create_batch(2, channel=active)
    ModerationEntryFactory(channel=active, kind=Kind.BLOCKING)
    client.force_login(owner)

    page = client.get(reverse("channels:evaluate", args=[active.pk])).content.decode()

    assert "Removed content: 2, Blocking: 1." in " ".join(page.split())
    assert "within the promised response time" in page
