"""The reminders as stencils (core.stencils): rendered once per date, language and shape and
filled in per recipient. The evaluation reminders are most of a sweep's e-mails (34,000 of
37,000 on the first day at 100,000 channels); the handover and sign-off reminders follow suit.

Each stand-in holds exactly what the templates `emails/reminder-*` (and what they include)
read; if a template comes to read more, those e-mails are rendered in full again
(StencilMiss), and approvals/tests/test_reminder_stencils.py, which renders them both ways,
says which.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.utils import timezone

from core.stencils import Stand, Stencil, mark


def person_name(person) -> str:
    """What `person.get_full_name|default:person.get_username` shows."""
    return person.get_full_name() or person.get_username()


def for_recipients(
    *, shape: tuple, context: dict, fill: dict, komm: dict | None = None
) -> Callable[[object], Stencil]:
    """The stencil of one e-mail for each recipient: a user is greeted by name (a mark, what
    `recipient.first_name|default:recipient.get_username` shows); None is Komm's mailbox, whose
    e-mail greets no one and reads `komm` besides."""

    def for_recipient(user) -> Stencil:
        if user is None:
            return Stencil(shape=(*shape, False), context={**context, **(komm or {})}, fill=fill)
        return Stencil(
            shape=(*shape, True),
            context={
                **context,
                "recipient": Stand(first_name=mark("recipient"), get_username=mark("recipient")),
            },
            fill={**fill, "recipient": user.first_name or user.get_username()},
        )

    return for_recipient


def _channel(channel, fill: dict, **more) -> Stand:
    """A channel in a stencil: its name and its platform's name are marks; `more` are further
    attributes as they are."""
    fill["channel"], fill["platform"] = channel.name, channel.platform.name
    return Stand(name=mark("channel"), platform=Stand(name=mark("platform")), **more)


def evaluation_stencil(
    *, channel, due_on: date, today: date, link: str, owners: list | None = None
) -> Callable[[object], Stencil]:
    """The stencil of an evaluation reminder about `channel` for a recipient (a user, or None
    for Komm's mailbox); `owners` (Komm's overdue e-mail) are the people who were reminded."""
    method = channel.evaluation_method or ""
    fill = {"link": link}
    context: dict = {
        "channel": _channel(channel, fill, evaluation_method=mark("method") if method else ""),
        "due_on": due_on,
        "days_left": (due_on - today).days,
        "days_late": (today - due_on).days,
        "link": mark("link"),
    }
    if method:
        fill["method"] = method
    if owners is not None:
        context["for_komm"] = True
        context["owners"] = []
        for i, person in enumerate(owners):
            context["owners"].append(
                Stand(
                    get_full_name=mark(f"owner{i}"),
                    get_username=mark(f"owner{i}"),
                    email=mark(f"owner{i}_email"),
                )
            )
            fill[f"owner{i}"] = person_name(person)
            fill[f"owner{i}_email"] = person.email
    shape = (due_on, today, bool(method), None if owners is None else len(owners))

    return for_recipients(shape=shape, context=context, fill=fill)


def _person(key: str, person, fill: dict) -> Stand:
    """A person in a stencil: their name is the mark `key` (what `get_full_name|default:
    get_username` shows)."""
    fill[key] = person_name(person)
    return Stand(get_full_name=mark(key), get_username=mark(key))


def handover_stencil(*, handover, days_open: int, link: str) -> Callable[[object], Stencil]:
    """The stencil of a reminder about an open handover for a recipient (a user, or None for
    Komm's mailbox): rendered once per state, start date, days open and recipient kind."""
    fill = {"link": link}
    channel = _channel(handover.channel, fill)
    stand = Stand(
        state=handover.state,
        started_at=handover.started_at,
        previous_responsible=_person("old", handover.previous_responsible, fill),
        new_responsible=_person("new", handover.new_responsible, fill),
        started_by=_person("starter", handover.started_by, fill),
    )
    context: dict = {
        "channel": channel,
        "handover": stand,
        "days_open": days_open,
        "link": mark("link"),
    }
    shape = ("handover", handover.state, timezone.localdate(handover.started_at), days_open)
    return for_recipients(shape=shape, context=context, fill=fill, komm={"for_komm": True})


def signoff_stencil(*, signoff) -> Callable[[object], Stencil]:
    """The stencil of a reminder to the head of department about a link not yet answered
    (always to None: the head has no account): rendered once per request and expiry date."""
    fill: dict = {"prefect": signoff.prefect_name, "applicant_email": ""}
    applicant = signoff.requested_by
    if applicant is not None:
        fill["applicant_email"] = applicant.email
    new = signoff.handover.new_responsible if signoff.handover_id else None
    context: dict = {
        "channel": _channel(signoff.channel, fill),
        "signoff": Stand(
            prefect_name=mark("prefect"),
            handover_id=signoff.handover_id,
            handover=Stand(new_responsible=_person("new", new, fill)) if new else None,
            requested_by=Stand(
                get_full_name=mark("applicant"),
                get_username=mark("applicant"),
                email=mark("applicant_email"),
            ),
            requested_at=signoff.requested_at,
            expires_at=signoff.expires_at,
        ),
    }
    fill["applicant"] = person_name(applicant) if applicant is not None else ""
    shape = (
        "signoff",
        timezone.localdate(signoff.requested_at),
        timezone.localdate(signoff.expires_at),
        bool(signoff.handover_id),
    )
    return for_recipients(shape=shape, context=context, fill=fill)


def signoff_expired_stencil(*, signoff, link: str) -> Callable[[object], Stencil]:
    """The stencil of the owners' e-mail about a link that expired unanswered: rendered once per
    request and expiry date and language."""
    fill: dict = {"prefect": signoff.prefect_name, "email": signoff.prefect_email, "link": link}
    context: dict = {
        "channel": _channel(signoff.channel, fill),
        "signoff": Stand(
            prefect_name=mark("prefect"),
            prefect_email=mark("email"),
            requested_at=signoff.requested_at,
            expires_at=signoff.expires_at,
        ),
        "link": mark("link"),
    }
    shape = (
        "signoff-expired",
        timezone.localdate(signoff.requested_at),
        timezone.localdate(signoff.expires_at),
    )
    return for_recipients(shape=shape, context=context, fill=fill)
