"""The e-mail catalogue: one function per e-mail the portal sends, saying what it needs and whom
it goes to. Services call these by name (`emails.signoff_requested(...)`); template names appear
nowhere else.

Each e-mail has three templates, `templates/emails/<name>-subject.txt`, `<name>-body.txt` and
`<name>-body.html`, rendered by `core.mail` in the recipient's language (both languages for an
address without an account: a head of department, Komm's mailbox) and stored in the outbox in
the caller's transaction. The reminders (approvals.reminders) are e-mails too: their names are
listed here and their jobs build them with `reminder_template()`.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse

from approvals.adorders.models import AdOrder
from approvals.campaigns.models import CampaignNotice
from approvals.models import Closure, Handover, KommReview, ModerationEntry, PrefectSignoff
from channels.models import Channel
from channels.selectors import channel_people
from core.mail import BOTH_LANGUAGES, absolute_url, queue_email, queue_email_to_user

# Sent when something happens.
SIGNOFF_REQUEST = "signoff-request"
HANDOVER_SIGNOFF_REQUEST = "handover-signoff-request"
SIGNOFF_APPROVED = "signoff-approved"
SIGNOFF_DECLINED = "signoff-declined"
KOMM_NEW_IN_QUEUE = "komm-new-in-queue"
REVIEW_DECIDED = {
    KommReview.Decision.APPROVED: "review-approved",
    KommReview.Decision.CHANGES_REQUESTED: "review-changes-requested",
    KommReview.Decision.REJECTED: "review-rejected",
}
HANDOVER_APPROVED = "handover-approved"
HANDOVER_DECLINED = "handover-declined"
HANDOVER_COMPLETED = "handover-completed"
CHANNELS_FLAGGED = "channels-flagged"
CHANNELS_FLAGGED_PEOPLE = "channels-flagged-people"
CLOSURE_STARTED = "closure-started"
CLOSURE_READY = "closure-ready"
CLOSURE_CONFIRMED = "closure-confirmed"
PERSON_NAMED = "person-named"
MODERATION_ALERT = "moderation-alert"
REPORT_RECEIVED = "report-received"
CAMPAIGN_NOTICE_SENT = "campaign-notice-sent"
CAMPAIGN_NOTICE_ANSWERED = "campaign-notice-answered"
AD_ORDER_SUBMITTED = "ad-order-submitted"
AD_ORDER_CHANGED = "ad-order-changed"
AD_ORDER_CREATIVES_ADDED = "ad-order-creatives-added"
# Sent by the reminder jobs, one per job: "reminder-<job>".
REMINDERS = (
    "reminder-signoff",
    "reminder-signoff-expired",
    "reminder-evaluation-upcoming",
    "reminder-evaluation-due",
    "reminder-evaluation-overdue",
    "reminder-handover-pending",
    "reminder-policy-unpublished",
    "reminder-policy-template-new",
    "reminder-komm-digest",
)

ALL = (
    SIGNOFF_REQUEST,
    HANDOVER_SIGNOFF_REQUEST,
    SIGNOFF_APPROVED,
    SIGNOFF_DECLINED,
    KOMM_NEW_IN_QUEUE,
    *REVIEW_DECIDED.values(),
    HANDOVER_APPROVED,
    HANDOVER_DECLINED,
    HANDOVER_COMPLETED,
    CHANNELS_FLAGGED,
    CHANNELS_FLAGGED_PEOPLE,
    CLOSURE_STARTED,
    CLOSURE_READY,
    CLOSURE_CONFIRMED,
    PERSON_NAMED,
    MODERATION_ALERT,
    CAMPAIGN_NOTICE_SENT,
    CAMPAIGN_NOTICE_ANSWERED,
    AD_ORDER_SUBMITTED,
    AD_ORDER_CHANGED,
    AD_ORDER_CREATIVES_ADDED,
    *REMINDERS,
    # Public reports of suspected fake accounts (approvals/reports/).
    REPORT_RECEIVED,
)


def reminder_template(kind: str) -> str:
    """The e-mail of the reminder job `kind` (e.g. "evaluation-due")."""
    name = f"reminder-{kind}"
    if name not in REMINDERS:
        raise ValueError(f"No reminder e-mail {name!r}; they are {', '.join(REMINDERS)}")
    return name


def _to_users(template: str, users: Iterable, context: dict) -> None:
    for user in users:
        queue_email_to_user(template=template, user=user, context=context)


def _to_komm(template: str, context: dict) -> None:
    queue_email(template=template, to=[settings.KOMM_EMAIL], context=context)


def _handover_link(handover: Handover) -> str:
    return absolute_url(reverse("approvals:handover", args=[handover.pk]))


def _closure_link(closure: Closure) -> str:
    return absolute_url(reverse("approvals:closure", args=[closure.pk]))


# --- People -----------------------------------------------------------------------------------


def person_named(*, person, named_by, channel: Channel, role: str) -> None:
    """To someone named by address before they ever signed in (core.people): who named them,
    for which channel, as what ("responsible", "deputy" or "handover"), and how to log in.
    Their language is not known yet, so in both."""
    queue_email(
        template=PERSON_NAMED,
        to=[person.email],
        context={
            "recipient": person,
            "named_by": named_by,
            "channel": channel,
            "role": role,
            "link": absolute_url(reverse("channels:my_channels")),
        },
        languages=BOTH_LANGUAGES,
    )


# --- Sign-off and review ---------------------------------------------------------------------


def signoff_requested(*, signoff: PrefectSignoff, link: str) -> None:
    """To the head of department (no account, so in both languages): the link to decide.

    The link is a credential, so it is a secret: the outbox row keeps it only until delivery."""
    queue_email(
        template=HANDOVER_SIGNOFF_REQUEST if signoff.handover_id else SIGNOFF_REQUEST,
        to=[signoff.prefect_email],
        context={"channel": signoff.channel, "signoff": signoff, "handover": signoff.handover},
        secrets={"link": link},
        languages=BOTH_LANGUAGES,
    )


def signoff_decided(*, signoff: PrefectSignoff, people: Iterable) -> None:
    """To the channel's people: the head of department approved or declined the registration."""
    template = (
        SIGNOFF_APPROVED
        if signoff.decision == PrefectSignoff.Decision.APPROVED
        else SIGNOFF_DECLINED
    )
    _to_users(template, people, {"channel": signoff.channel, "signoff": signoff})


def komm_new_in_queue(*, channel: Channel) -> None:
    """To Komm: a channel waits for its review."""
    link = absolute_url(reverse("approvals:review", args=[channel.pk]))
    _to_komm(KOMM_NEW_IN_QUEUE, {"channel": channel, "link": link})


def review_decided(*, review: KommReview, people: Iterable) -> None:
    """To the channel's people: Komm approved, asked for changes or rejected."""
    context = {"channel": review.channel, "review": review}
    _to_users(REVIEW_DECIDED[KommReview.Decision(review.decision)], people, context)


# --- Handover --------------------------------------------------------------------------------


def handover_approved(*, handover: Handover, signoff: PrefectSignoff) -> None:
    """To the new responsible person: appointed; accept the handover and do its checklist."""
    context = {
        "channel": handover.channel,
        "handover": handover,
        "signoff": signoff,
        "link": _handover_link(handover),
    }
    _to_users(HANDOVER_APPROVED, [handover.new_responsible], context)


def handover_declined(*, handover: Handover, signoff: PrefectSignoff, people: Iterable) -> None:
    """To who started the handover and the channel's people: the head of department said no."""
    context = {
        "channel": handover.channel,
        "handover": handover,
        "signoff": signoff,
        "link": _handover_link(handover),
    }
    _to_users(HANDOVER_DECLINED, people, context)


def handover_completed(*, handover: Handover, people: Iterable) -> None:
    """To the previous and the new responsible person, and to Komm: the handover is done."""
    channel = handover.channel
    context = {
        "channel": channel,
        "handover": handover,
        "link": absolute_url(channel.get_absolute_url()),
    }
    _to_users(HANDOVER_COMPLETED, people, context)
    _to_komm(HANDOVER_COMPLETED, context)


def channels_flagged(*, rows: list[dict]) -> None:
    """To Komm: running channels whose responsible person or deputy no longer works here.
    `rows` are {"channel", "people", "link"}."""
    _to_komm(
        CHANNELS_FLAGGED,
        {"rows": rows, "link": absolute_url(reverse("approvals:handovers"))},
    )


def channels_flagged_to_people(*, rows: list[dict]) -> None:
    """To each responsible person and deputy who still works here: their channels that now need
    a handover because someone who ran them with them left (one e-mail per person, in their
    language). `rows` are {"channel", "people" (who left), "link", "remaining" (users)}."""
    per_person: dict[int, tuple] = {}
    for row in rows:
        for person in row["remaining"]:
            per_person.setdefault(person.pk, (person, []))[1].append(row)
    for person, their_rows in per_person.values():
        queue_email_to_user(
            template=CHANNELS_FLAGGED_PEOPLE, user=person, context={"rows": their_rows}
        )


# --- Closure ---------------------------------------------------------------------------------


def closure_started(*, closure: Closure, people: Iterable) -> None:
    """To the channel's people (when someone else, e.g. Komm, started it): do the checklist."""
    context = {"channel": closure.channel, "closure": closure, "link": _closure_link(closure)}
    _to_users(CLOSURE_STARTED, people, context)


def closure_ready(*, closure: Closure) -> None:
    """To Komm: every step of the checklist is done; confirm the closure."""
    context = {"channel": closure.channel, "closure": closure, "link": _closure_link(closure)}
    _to_komm(CLOSURE_READY, context)


def closure_confirmed(*, closure: Closure, people: Iterable) -> None:
    """To the channel's people: Komm confirmed; the channel is closed."""
    _to_users(CLOSURE_CONFIRMED, people, {"channel": closure.channel, "closure": closure})


# --- Moderation log --------------------------------------------------------------------------


def moderation_alert(*, entry: ModerationEntry) -> None:
    """To Komm, at once: a suspected crime or a threat was recorded in a channel's log."""
    link = absolute_url(reverse("approvals:moderation_log", args=[entry.channel_id]))
    _to_komm(
        MODERATION_ALERT,
        {"channel": entry.channel, "entry": entry, "link": f"{link}#entry-{entry.pk}"},
    )


# --- Reports of suspected fake accounts -------------------------------------------------------


def report_received(*, report) -> None:
    """To Komm: someone reported an account as a suspected fake; check it in the queue."""
    link = absolute_url(reverse("reports:detail", args=[report.pk]))
    _to_komm(REPORT_RECEIVED, {"report": report, "link": link})


# --- Campaign notices -------------------------------------------------------------------------


def _campaign_notice_link(notice: CampaignNotice) -> str:
    return absolute_url(reverse("approvals:campaign_notice", args=[notice.pk]))


def campaign_notice_sent(*, notice: CampaignNotice) -> None:
    """To Komm: a campaign is coming on these channels."""
    context = {
        "notice": notice,
        "channels": list(notice.channels.select_related("platform")),
        "link": _campaign_notice_link(notice),
    }
    _to_komm(CAMPAIGN_NOTICE_SENT, context)


def campaign_notice_answered(*, notice: CampaignNotice) -> None:
    """To who sent the notice: Komm acknowledged it or commented."""
    context = {"notice": notice, "link": _campaign_notice_link(notice)}
    _to_users(CAMPAIGN_NOTICE_ANSWERED, [notice.sent_by], context)


# --- Ad orders --------------------------------------------------------------------------------


def _ad_order_link(order: AdOrder) -> str:
    return absolute_url(reverse("approvals:ad_order", args=[order.pk]))


def ad_order_submitted(*, order: AdOrder) -> None:
    """To Komm: an order of ads to handle."""
    context = {
        "order": order,
        "channels": list(order.channels.select_related("platform")),
        "link": _ad_order_link(order),
    }
    _to_komm(AD_ORDER_SUBMITTED, context)


def ad_order_changed(*, order: AdOrder) -> None:
    """To the orderer and the people of its channels: the order moved on, was declined (with
    the reason) or withdrawn; to Komm too when the orderer withdrew it."""
    people = {order.ordered_by_id: order.ordered_by}
    for channel in order.channels.select_related("responsible").prefetch_related("deputies"):
        people.update({person.pk: person for person in channel_people(channel)})
    context = {"order": order, "link": _ad_order_link(order)}
    _to_users(AD_ORDER_CHANGED, people.values(), context)
    if order.state == AdOrder.State.WITHDRAWN:
        _to_komm(AD_ORDER_CHANGED, context)


def ad_order_creatives_added(*, order: AdOrder, attachments: list, added_by) -> None:
    """To Komm: new creatives for an order it is handling."""
    context = {
        "order": order,
        "attachments": attachments,
        "added_by": added_by,
        "link": _ad_order_link(order),
    }
    _to_komm(AD_ORDER_CREATIVES_ADDED, context)
