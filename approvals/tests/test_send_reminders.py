"""`manage.py send_reminders`: every job once, printing what each sent."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from approvals.reminders.jobs import ALL_JOBS
from channels.models import Channel
from channels.testing.factories import ChannelFactory
from core.models import OutgoingEmail


def run(*args) -> str:
    out = StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def due_today(owner, deputy):
    return ChannelFactory(
        name="Fysik för alla",
        created_by=owner,
        deputies=[deputy],
        state=Channel.State.ACTIVE,
        address_is_planned=False,
        next_evaluation_on=timezone.localdate(),
    )


def test_prints_what_each_job_sent_and_sends_it_once(due_today, settings, monkeypatch):
    settings.KOMM_EMAIL = "komm@umu.se"
    today = timezone.localdate().isoformat()

    output = run()

    lines = output.splitlines()
    for job in ALL_JOBS:
        assert any(line.startswith(f"{job}: ") for line in lines), job
    assert "evaluation-due: 2 sent" in lines
    assert f"  evaluation-due → anna@umu.se: Fysik för alla: evaluation on {today}" in lines
    assert f"  evaluation-due → david@umu.se: Fysik för alla: evaluation on {today}" in lines
    assert "evaluation-upcoming: 0 sent" in lines
    assert "komm-digest: 0 sent" in lines  # nothing for Komm: no digest
    assert "flag-departed: 0 sent (0 flagged)" in lines or any(
        line.startswith("flag-departed: ") and "0 flagged" in line for line in lines
    )
    assert lines[-1] == "2 reminder(s) sent."
    assert OutgoingEmail.objects.count() == 2

    again = run()
    assert "evaluation-due: 0 sent" in again.splitlines()
    assert again.splitlines()[-1] == "0 reminder(s) sent."
    assert OutgoingEmail.objects.count() == 2


def test_runs_only_the_named_jobs(due_today):
    output = run("evaluation-upcoming")
    assert output.splitlines() == ["evaluation-upcoming: 0 sent", "0 reminder(s) sent."]


def test_refuses_an_unknown_job(db):
    with pytest.raises(CommandError, match="Unknown job"):
        run("evaluation-someday")
