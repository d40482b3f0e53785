"""What comes next for a channel: computed here, and only here, from every fact of the channel.

The channel page, "My channels" and anything else that says what to do show these steps, so
they cannot contradict each other (before, a flagged channel read "Active. Nothing to do." above
"Needs a handover", and "Evaluate now" was offered on a channel not yet opened).

Two halves:
- `next_steps(facts)` is the rule: a pure function from `Facts` to the ordered steps (the first
  is *the* next step, the others are also to do). `channels/tests/test_next_step.py` walks it
  through a table of combinations.
- `channel_facts(channel)` gathers the facts: the registry's own (state, the decision's comment,
  the evaluation plan, the policy's publication, the handover flag) and those the workflows hold
  (an open handover, a closure in progress), which they add through `channels.hooks`
  ("channel_facts") so that the registry names none of them.

A step says what it is (`code`, worded by `templates/channels/_next_step.html`), where its action
is (`url`), and who acts: the channel's people, Komm, or either (`actor`); a reader who is not
the actor sees the sentence without the action.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone

from channels import hooks
from channels.evaluations.selectors import evaluation_status
from channels.models import Channel
from channels.selectors import channel_first_incomplete_step, decision_comment

State = Channel.State

PEOPLE = "people"
KOMM = "komm"
EITHER = "either"


@dataclass(frozen=True)
class Facts:
    """Everything that decides a channel's next step. The workflows' facts are plain values:
    `handover` is {"url", "person", "state"} of the open handover, `closure` is {"url",
    "ready"} of the closure in progress, `start_handover_url` and `review_url` their pages."""

    state: str
    pk: int = 0
    first_incomplete_step: str = "review"
    since: datetime | None = None
    comment: str = ""
    flagged_since: datetime | None = None
    evaluation: str | None = None  # channels.evaluations.selectors.evaluation_status
    next_evaluation_on: date | None = None
    policy_published: bool = False
    closed_at: datetime | None = None
    handover: dict | None = None
    closure: dict | None = None
    start_handover_url: str = ""
    review_url: str = ""


@dataclass(frozen=True)
class Step:
    code: str
    url: str = ""
    actor: str = PEOPLE
    since: datetime | date | None = None
    comment: str = ""
    detail: dict[str, Any] = field(default_factory=dict)


def next_steps(facts: Facts) -> list[Step]:
    """The channel's steps, the next one first; never empty."""
    if facts.state in Channel.RUNNING_STATES:
        return _running_steps(facts)
    return [_step_of_state(facts)]


def _step_url(facts: Facts, step: str) -> str:
    return reverse("channels:step", args=[facts.pk, step]) if facts.pk else ""


def _step_of_state(facts: Facts) -> Step:
    """The one step of a channel that is not running: being registered, closing or ended."""
    state = facts.state
    if state == State.DRAFT:
        code = "review_submit" if facts.first_incomplete_step == "review" else "continue"
        return Step(code, url=_step_url(facts, facts.first_incomplete_step))
    if state in (State.PREFECT_DECLINED, State.CHANGES_REQUESTED):
        url = _step_url(facts, facts.first_incomplete_step)
        return Step(state, url=url, comment=facts.comment)
    if state == State.AWAITING_PREFECT:
        return Step("wait_prefect", since=facts.since)
    if state == State.AWAITING_KOMM:
        return Step("wait_komm", url=facts.review_url, actor=KOMM, since=facts.since)
    if state == State.CLOSING:
        closure = facts.closure or {}
        if closure.get("ready"):
            return Step("closure_ready", url=closure.get("url", ""), actor=KOMM)
        return Step("closure_checklist", url=closure.get("url", ""))
    if state == State.CLOSED:
        return Step("closed", since=facts.closed_at)
    return Step("rejected", comment=facts.comment)


def _running_steps(facts: Facts) -> list[Step]:
    """An approved or active channel: its people leaving comes first, then opening it, then
    the duties of a running channel (evaluating it, recording where its policy is published)."""
    steps = []
    if facts.handover:
        steps.append(
            Step(
                "handover_under_way", url=facts.handover["url"], actor=EITHER, detail=facts.handover
            )
        )
    elif facts.flagged_since:
        steps.append(
            Step(
                "handover_needed",
                url=facts.start_handover_url,
                actor=EITHER,
                since=facts.flagged_since,
            )
        )
    if facts.state == State.APPROVED:
        # Not opened yet: nothing to evaluate and no profile to publish a policy on.
        url = reverse("channels:detail", args=[facts.pk]) + "#open" if facts.pk else ""
        return [*steps, Step("open", url=url)]
    if facts.evaluation in ("overdue", "due"):
        url = reverse("channels:evaluate", args=[facts.pk]) if facts.pk else ""
        steps.append(Step(f"evaluate_{facts.evaluation}", url=url, since=facts.next_evaluation_on))
    if not facts.policy_published:
        url = reverse("channels:policy_publication", args=[facts.pk]) if facts.pk else ""
        steps.append(Step("publish_policy", url=url))
    return steps or [Step("nothing", since=facts.next_evaluation_on)]


# --- gathering the facts of a channel ----------------------------------------------------------


def channel_facts(channel: Channel, *, today: date | None = None) -> Facts:
    """The facts of `channel`. Reads what channels_for_owner_page prefetches (the decision's
    comment, the policy's publication, the workflows' relations), so a row of "My channels"
    costs no query; one channel's page costs a few."""
    today = today or timezone.localdate()
    editable = channel.state in Channel.EDITABLE_STATES
    return Facts(
        state=channel.state,
        pk=channel.pk,
        first_incomplete_step=channel_first_incomplete_step(channel) if editable else "review",
        since=channel.state_changed_at,
        comment=_decision_comment_of(channel),
        flagged_since=channel.needs_handover_since,
        evaluation=evaluation_status(channel, today),
        next_evaluation_on=channel.next_evaluation_on,
        policy_published=_policy_published(channel),
        closed_at=channel.closed_at,
        **hooks.channel_facts(channel),
    )


def channel_next_steps(channel: Channel, *, today: date | None = None) -> list[Step]:
    return next_steps(channel_facts(channel, today=today))


def _policy_published(channel: Channel) -> bool:
    if channel.state not in Channel.RUNNING_STATES:
        return False
    try:
        return channel.policy_publication is not None
    except Channel.policy_publication.RelatedObjectDoesNotExist:
        return False


def _decision_comment_of(channel: Channel) -> str:
    """The reason given with a decline, Komm's request for changes or rejection; uses the
    `decision_comment` annotation of channels_for_owner_page if present."""
    if channel.state not in (State.PREFECT_DECLINED, State.CHANGES_REQUESTED, State.REJECTED):
        return ""
    comment = getattr(channel, "decision_comment", None)
    if comment is None:  # not annotated (one channel's page): one query
        comment = Channel.objects.filter(pk=channel.pk).values_list(decision_comment(), flat=True)[
            0
        ]
    return comment or ""
