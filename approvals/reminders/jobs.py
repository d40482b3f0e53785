"""The reminder jobs: what is due, selected with a fixed number of queries (see
`approvals.reminders.delivery` for how each is claimed and sent exactly once)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from approvals import emails
from approvals.adorders.models import AdOrder
from approvals.campaigns.selectors import campaign_notices_in_period
from approvals.handover.flagging import channels_flag_departed_staff
from approvals.models import Handover, PrefectSignoff
from approvals.moderation.selectors import counts_per_kind_since
from approvals.reminders.delivery import (
    DIGEST_LIST_LIMIT,
    JobResult,
    Reminder,
    channel_link,
    channel_owners,
    deliver,
    to_komm,
    to_users,
    user_reachable,
    with_people,
)
from approvals.reminders.evaluation_jobs import (
    select_evaluation_due,
    select_evaluation_overdue,
    select_evaluation_upcoming,
)
from approvals.reminders.policy_jobs import select_policy_template_new
from approvals.reminders.stencils import (
    handover_stencil,
    signoff_expired_stencil,
    signoff_stencil,
)
from channels.evaluations.selectors import evaluations_overdue
from channels.models import Channel
from channels.policy.selectors import channels_policy_unpublished
from core.mail import BOTH_LANGUAGES, absolute_url

log = logging.getLogger(__name__)


# --- Sign-off --------------------------------------------------------------------------------


def select_signoff_reminders(now: datetime) -> list[Reminder]:
    """Links a head of department has not answered for SIGNOFF_REMINDER_DAYS and that still work.

    The reminder cannot carry the link: only a hash of its token is stored. It points to the
    earlier e-mail and says the applicant can send a new link. One query.
    """
    signoffs = PrefectSignoff.objects.filter(
        decision=PrefectSignoff.Decision.PENDING,
        requested_at__lte=now - timedelta(days=settings.SIGNOFF_REMINDER_DAYS),
        expires_at__gt=now,
    ).select_related("channel", "channel__platform", "requested_by", "handover__new_responsible")
    reminders = []
    for signoff in signoffs:
        reminders.append(
            Reminder(
                kind="signoff-reminder",
                key=str(signoff.pk),
                recipient=signoff.prefect_email,
                template=emails.reminder_template("signoff"),
                context={"channel": signoff.channel, "signoff": signoff},
                languages=BOTH_LANGUAGES,  # no account, no known language: both
                stencil=signoff_stencil(signoff=signoff),
                about=f"{signoff.channel.name}: sign-off requested {signoff.requested_at:%Y-%m-%d}",
            )
        )
    return reminders


def select_signoff_expired(now: datetime) -> list[Reminder]:
    """A registration's link that expired unanswered: the owners can send a new one (two queries).

    Handover sign-offs are left to the handover-pending reminder, which reaches everyone involved.
    """
    signoffs = with_people(
        PrefectSignoff.objects.filter(
            decision=PrefectSignoff.Decision.PENDING,
            expires_at__lte=now,
            handover__isnull=True,
            channel__state=Channel.State.AWAITING_PREFECT,
        ).order_by("expires_at", "pk"),
        prefix="channel__",
    )
    reminders = []
    for signoff in signoffs:
        channel = signoff.channel
        link = channel_link(channel)
        reminders += to_users(
            channel_owners(channel),
            kind="signoff-expired",
            key=str(signoff.pk),
            template=emails.reminder_template("signoff-expired"),
            context={"channel": channel, "signoff": signoff, "link": link},
            stencil=signoff_expired_stencil(signoff=signoff, link=link),
            about=f"{channel.name}: link to {signoff.prefect_email} expired",
        )
    return reminders


# --- Handovers -------------------------------------------------------------------------------


def select_handover_pending(now: datetime) -> list[Reminder]:
    """Handovers open for HANDOVER_REMINDER_DAYS or longer: everyone involved and Komm.

    The key carries the number of the period, so an open handover is reminded of at most once
    per HANDOVER_REMINDER_DAYS. One query.
    """
    period_length = timedelta(days=settings.HANDOVER_REMINDER_DAYS)
    handovers = Handover.objects.filter(
        state__in=Handover.OPEN_STATES, started_at__lte=now - period_length
    ).select_related(
        "channel",
        "channel__platform",
        "previous_responsible",
        "new_responsible",
        "started_by",
    )
    reminders = []
    for handover in handovers.order_by("started_at", "pk"):
        period = (now - handover.started_at) // period_length
        people = []
        for person in (
            handover.previous_responsible,
            handover.new_responsible,
            handover.started_by,
        ):
            if user_reachable(person) and person not in people:
                people.append(person)
        common = {
            "kind": "handover-pending",
            "key": f"{handover.pk}:{period}",
            "template": emails.reminder_template("handover-pending"),
            "about": f"{handover.channel.name}: handover open since "
            f"{timezone.localdate(handover.started_at).isoformat()}",
        }
        days_open = (now - handover.started_at).days
        link = channel_link(handover.channel)
        context = {
            "channel": handover.channel,
            "handover": handover,
            "days_open": days_open,
            "link": link,
        }
        stencil = handover_stencil(handover=handover, days_open=days_open, link=link)
        reminders += to_users(people, context=context, stencil=stencil, **common)
        reminders += to_komm(context={**context, "for_komm": True}, stencil=stencil, **common)
    return reminders


# --- Policy not yet recorded as published ----------------------------------------------------


def select_policy_unpublished(now: datetime) -> list[Reminder]:
    """Active channels opened POLICY_REMINDER_DAYS ago or more whose people have not recorded
    where the policy is published (channels.policy): the people, once per channel. Two queries.
    """
    channels = with_people(channels_policy_unpublished(now=now))
    reminders = []
    for channel in channels:
        reminders += to_users(
            channel_owners(channel),
            kind="policy-unpublished",
            key=str(channel.pk),
            template=emails.reminder_template("policy-unpublished"),
            about=f"{channel.name}: policy publication not recorded",
            context={
                "channel": channel,
                "link": absolute_url(reverse("channels:policy_publication", args=[channel.pk])),
            },
        )
    return reminders


# --- Komm's weekly digest ----------------------------------------------------------------------


def _digest_sections(today: date, now: datetime) -> dict[str, QuerySet]:
    """What the digest lists, by section, each ordered longest-waiting first."""
    return {
        "queue": Channel.objects.filter(state=Channel.State.AWAITING_KOMM)
        .select_related("platform")
        .order_by("state_changed_at", "pk"),
        # As on Komm's overview page: every evaluation past its date (the owners' overdue
        # reminder waits EVALUATION_OVERDUE_DAYS; Komm's weekly picture does not).
        "overdue": evaluations_overdue(today=today),
        "handovers": Handover.objects.filter(state__in=Handover.OPEN_STATES)
        .select_related("channel", "channel__platform", "new_responsible")
        .order_by("started_at", "pk"),
        "flagged": Channel.objects.filter(needs_handover_since__isnull=False)
        .exclude(state__in=[Channel.State.CLOSED, Channel.State.REJECTED])
        .select_related("platform")
        .order_by("needs_handover_since", "pk"),
        # Campaigns running this week (approvals.campaigns) and ad orders no one has taken up.
        "campaigns": campaign_notices_in_period("week", today=today).prefetch_related(None),
        "ad_orders": AdOrder.objects.filter(state=AdOrder.State.SUBMITTED).order_by(
            "state_changed_at", "pk"
        ),
        # Running channels whose policy publication is still not recorded (the owners' reminder).
        "policy_missing": channels_policy_unpublished(now=now).select_related("platform"),
    }


def select_komm_digest(now: datetime) -> list[Reminder]:
    """One e-mail a week to KOMM_EMAIL with what needs Komm's eye; nothing to report, no e-mail.

    Fifteen queries: a count and the first DIGEST_LIST_LIMIT rows of each of the seven sections,
    and the moderation log's week in counts per kind.
    """
    today = timezone.localdate(now)
    year, week, _weekday = today.isocalendar()
    sections = _digest_sections(today, now)
    counts = {name: rows.count() for name, rows in sections.items()}
    moderation = counts_per_kind_since(now - timedelta(days=7))
    if not any(counts.values()) and not moderation:
        return []
    lists = {name: list(rows[:DIGEST_LIST_LIMIT]) for name, rows in sections.items()}
    for channel in [
        *lists["queue"],
        *lists["overdue"],
        *lists["flagged"],
        *lists["policy_missing"],
    ]:
        channel.link = channel_link(channel)
    for handover in lists["handovers"]:
        handover.link = channel_link(handover.channel)
    for notice in lists["campaigns"]:
        notice.link = absolute_url(reverse("approvals:campaign_notice", args=[notice.pk]))
    for order in lists["ad_orders"]:
        order.link = absolute_url(reverse("approvals:ad_order", args=[order.pk]))
    context = {
        "week": f"{year}-W{week:02d}",
        "counts": counts,
        "more": {name: counts[name] - len(lists[name]) for name in sections},
        "today": today,
        "queue_link": absolute_url(reverse("approvals:queue")),
        "moderation": moderation,
        "moderation_link": absolute_url(reverse("approvals:moderation_komm")),
        **lists,
    }
    return to_komm(
        kind="komm-digest",
        key=f"{year}-W{week:02d}",
        template=emails.reminder_template("komm-digest"),
        context=context,
        about=", ".join(f"{counts[name]} {name}" for name in sections),
    )


# --- Flagging departed staff ------------------------------------------------------------------


def flag_departed_staff() -> JobResult:
    """Flag channels whose responsible person or deputy has left, and tell Komm once."""
    return JobResult("flag-departed", note=f"{len(channels_flag_departed_staff())} flagged")


# --- Running the jobs ------------------------------------------------------------------------

SELECTORS: dict[str, Callable[[datetime], Iterable[Reminder]]] = {
    "signoff-reminder": select_signoff_reminders,
    "signoff-expired": select_signoff_expired,
    "evaluation-upcoming": select_evaluation_upcoming,
    "evaluation-due": select_evaluation_due,
    "evaluation-overdue": select_evaluation_overdue,
    "handover-pending": select_handover_pending,
    "policy-unpublished": select_policy_unpublished,
    "policy-template-new": select_policy_template_new,
    "komm-digest": select_komm_digest,
}
# Run every day by beat. Flagging comes first so that today's flags are in today's reminders.
DAILY_JOBS: tuple[str, ...] = (
    "flag-departed",
    "signoff-reminder",
    "signoff-expired",
    "evaluation-upcoming",
    "evaluation-due",
    "evaluation-overdue",
    "handover-pending",
    "policy-unpublished",
    "policy-template-new",
)
WEEKLY_JOBS: tuple[str, ...] = ("komm-digest",)
# `manage.py send_reminders` runs them all: the digest's key is the ISO week, so a daily cron
# run sends it on the first run of each week and never twice.
ALL_JOBS: tuple[str, ...] = DAILY_JOBS + WEEKLY_JOBS


def run_job(name: str, *, now: datetime | None = None) -> JobResult:
    """Run one job once: select what is due, then claim and queue it in one transaction."""
    if name == "flag-departed":
        return flag_departed_staff()
    if name not in SELECTORS:
        raise ValueError(f"Unknown reminder job {name!r}; the jobs are {', '.join(ALL_JOBS)}.")
    sent = deliver(SELECTORS[name](now or timezone.now()))
    if sent:
        log.info("Reminder job %s sent %d reminder(s)", name, len(sent))
    return JobResult(name, sent=sent)
