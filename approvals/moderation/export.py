"""The log for the archive (diarieföring): one row per entry, the same columns in the CSV and
on the printable page. Attachments are listed by name, size and type."""

from __future__ import annotations

import csv
from collections.abc import Iterable

from django.http import HttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.formats import localize
from django.utils.translation import gettext as _

from approvals.moderation.models import ModerationEntry


def _when(value) -> str:
    return localize(timezone.localtime(value)) if value else ""


def columns() -> list[str]:
    return [
        _("Entry"),
        _("Channel"),
        _("Kind"),
        _("Happened"),
        _("Recorded"),
        _("Recorded by"),
        _("What"),
        _("Handle or profile"),
        _("Post's URL"),
        _("Ground"),
        _("Blocked until"),
        _("Lifts entry"),
        _("Suspected crime"),
        _("Reported to the police"),
        _("Police case number"),
        _("Why not reported"),
        _("Threat"),
        _("Corrects entry"),
        _("Why corrected"),
        _("Attachments"),
    ]


def attachment_text(entry: ModerationEntry) -> str:
    return "; ".join(
        f"{a.name} ({filesizeformat(a.size)}, {a.content_type})" for a in entry.attachments.all()
    )


def row(entry: ModerationEntry) -> list[str]:
    recorder = entry.recorded_by
    return [
        str(entry.pk),
        entry.channel.name,
        str(entry.get_kind_display()),
        _when(entry.happened_at),
        _when(entry.recorded_at),
        f"{recorder.get_full_name() or recorder.get_username()} <{recorder.email}>",
        entry.what,
        entry.handle,
        entry.post_url,
        entry.ground_text,
        _when(entry.blocked_until),
        str(entry.lifts_id or ""),
        entry.crime,
        localize(entry.reported_on) if entry.reported_on else "",
        entry.police_case_number,
        entry.not_reported_reason,
        _("yes") if entry.threat else "",
        str(entry.corrects_id or ""),
        entry.correction_reason,
        attachment_text(entry),
    ]


def csv_response(entries: Iterable[ModerationEntry], *, filename: str) -> HttpResponse:
    # UTF-8 with a byte-order mark so that Excel reads å, ä, ö right.
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(columns())
    for entry in entries:
        writer.writerow(row(entry))
    return response
