"""Evaluations of a running channel: record one, and move the next evaluation date on."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from channels.models import AuditEntry, Channel, Evaluation
from channels.services import (
    audit_record,
    channel_correct_registry,
    channel_field_value,
    channel_lock_running,
)


def add_months(day: date, months: int) -> date:
    """The same day `months` calendar months later, clamped to the month's end (Jan 31 → Feb 28)."""
    import calendar

    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@transaction.atomic
def evaluation_submit(
    *,
    channel: Channel,
    submitted_by,
    evaluated_on: date,
    summary: str,
    meets_purpose: bool,
    decision: str,
    registry_confirmed: bool,
    followers: int | None = None,
    posts: int | None = None,
    response_time_hours: int | None = None,
    corrections: dict | None = None,
    duties_kept: bool | None = None,
    policy_current: bool | None = None,
):
    """Record an evaluation of a running channel and move its next evaluation date on.

    Who may evaluate is the view's check; this checks the channel and the input. If the entry is
    no longer correct, `corrections` must change it (channel_correct_registry, so audited). The
    decision "close" does not close the channel: closure is its own process, the owner's.
    """
    channel_lock_running(channel)
    _check_evaluation_date(channel=channel, evaluated_on=evaluated_on)
    evaluation = Evaluation(
        channel=channel,
        evaluated_on=evaluated_on,
        summary=summary.strip(),
        meets_purpose=meets_purpose,
        duties_kept=duties_kept,
        policy_current=policy_current,
        followers=followers,
        posts=posts,
        response_time_hours=response_time_hours,
        decision=decision,
        registry_confirmed=registry_confirmed,
        submitted_by=submitted_by,
    )
    evaluation.full_clean(exclude=["channel", "submitted_by"])
    _check_registry_answer(registry_confirmed=registry_confirmed, corrections=corrections)
    if not registry_confirmed:
        channel_correct_registry(
            channel=channel,
            edited_by=submitted_by,
            data=corrections or {},
            params={"evaluated_on": evaluated_on.isoformat()},
        )
    evaluation.save()
    _move_next_evaluation_on(channel=channel, evaluation=evaluation)
    return evaluation


def _check_evaluation_date(*, channel: Channel, evaluated_on: date) -> None:
    """Not in the future, and not before the last evaluation: the plan runs from the latest."""
    if evaluated_on > timezone.localdate():
        raise ValidationError({"evaluated_on": _("The evaluation cannot be dated in the future.")})
    last = channel.evaluations.order_by("-evaluated_on").first()
    if last and evaluated_on < last.evaluated_on:
        raise ValidationError(
            {
                "evaluated_on": _("The last evaluation was on %(date)s; date this one later.")
                % {"date": last.evaluated_on.isoformat()}
            }
        )


def _check_registry_answer(*, registry_confirmed: bool, corrections: dict | None) -> None:
    """The entry is either confirmed as it stands or corrected, never both nor neither."""
    if registry_confirmed and corrections:
        raise ValidationError(
            _("You confirmed that the registry entry is correct, but also changed it.")
        )
    if not registry_confirmed and not corrections:
        raise ValidationError(
            _(
                "You said the registry entry is no longer correct: correct it, or confirm "
                "that it is still correct."
            )
        )


def _move_next_evaluation_on(*, channel: Channel, evaluation: Evaluation) -> None:
    """The plan's next date, counted from this evaluation; audited with the decision."""
    before = channel_field_value(channel, "next_evaluation_on")
    # A plan without an interval cannot be submitted; yearly is only a fallback for old data.
    months = channel.evaluation_interval_months or 12
    channel.next_evaluation_on = add_months(evaluation.evaluated_on, months)
    channel.save(update_fields=["next_evaluation_on", "updated_at"])
    audit_record(
        channel=channel,
        action=AuditEntry.Action.EVALUATED,
        actor=evaluation.submitted_by,
        changes={
            "next_evaluation_on": [before, channel_field_value(channel, "next_evaluation_on")],
        },
        params={"decision": evaluation.decision},
    )
