"""`manage.py benchmark_reminders`: refuses where it must, and cleans up after itself."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from channels.models import Channel
from core.models import OutgoingEmail, SentReminder
from core.testing.environment import need


def test_refuses_sqlite_or_a_database_not_named_for_benchmarks(db):
    expected = "PostgreSQL only" if connection.vendor != "postgresql" else "Refusing"
    with pytest.raises(CommandError, match=expected):
        call_command("benchmark_reminders", "--channels", "10", stdout=StringIO())
    assert Channel.objects.count() == 0


def test_a_small_run_reports_each_job_and_leaves_nothing_behind(db):
    need("PostgreSQL", connection.vendor == "postgresql", "set DATABASE_URL=postgres://...")
    out = StringIO()
    call_command("benchmark_reminders", "--channels", "400", "--yes-i-know", stdout=out)

    text = out.getvalue()
    assert "First sweep" in text and "Second sweep" in text
    second = text.split("Second sweep")[1]
    assert "total                        0" in second  # the rerun sends nothing
    assert Channel.objects.count() == 0
    assert OutgoingEmail.objects.count() == 0
    assert SentReminder.objects.count() == 0
