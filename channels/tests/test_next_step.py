"""channels.next_step: one rule for what comes next, walked through a table of the facts a
channel can have at once; then the pages that show it, so that none contradicts another."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from channels.models import Channel
from channels.next_step import EITHER, KOMM, PEOPLE, Facts, next_steps

State = Channel.State
SINCE = datetime(2026, 11, 2, 10, 0)
HANDOVER = {"url": "/h/1/", "person": "Nils Nyman", "state": "Awaiting head of department"}

CASES = [
    # (what, facts, the codes in order)
    ("a draft to continue", dict(state=State.DRAFT, first_incomplete_step="purpose"), ["continue"]),
    ("a complete draft", dict(state=State.DRAFT), ["review_submit"]),
    ("with the head of department", dict(state=State.AWAITING_PREFECT), ["wait_prefect"]),
    ("declined", dict(state=State.PREFECT_DECLINED, comment="No"), ["prefect_declined"]),
    ("with Komm", dict(state=State.AWAITING_KOMM), ["wait_komm"]),
    ("changes asked", dict(state=State.CHANGES_REQUESTED), ["changes_requested"]),
    ("rejected", dict(state=State.REJECTED), ["rejected"]),
    ("approved, not opened", dict(state=State.APPROVED), ["open"]),
    # A date in the plan does not make a channel that is not open due for an evaluation.
    (
        "approved, not opened, evaluation date passed",
        dict(state=State.APPROVED, evaluation=None, next_evaluation_on=date(2026, 1, 1)),
        ["open"],
    ),
    (
        "approved and flagged",
        dict(state=State.APPROVED, flagged_since=SINCE),
        ["handover_needed", "open"],
    ),
    (
        "approved, handover under way",
        dict(state=State.APPROVED, flagged_since=SINCE, handover=HANDOVER),
        ["handover_under_way", "open"],
    ),
    ("active, all done", dict(state=State.ACTIVE, policy_published=True), ["nothing"]),
    (
        "active, evaluation upcoming",
        dict(state=State.ACTIVE, policy_published=True, evaluation="upcoming"),
        ["nothing"],
    ),
    ("active, policy not recorded", dict(state=State.ACTIVE), ["publish_policy"]),
    (
        "active, evaluation due",
        dict(state=State.ACTIVE, policy_published=True, evaluation="due"),
        ["evaluate_due"],
    ),
    (
        "active, evaluation overdue, policy missing",
        dict(state=State.ACTIVE, evaluation="overdue"),
        ["evaluate_overdue", "publish_policy"],
    ),
    # Never "Nothing to do" beside a handover, flagged or pending.
    (
        "active and flagged",
        dict(state=State.ACTIVE, policy_published=True, flagged_since=SINCE),
        ["handover_needed"],
    ),
    (
        "active, handover pending",
        dict(state=State.ACTIVE, policy_published=True, handover=HANDOVER),
        ["handover_under_way"],
    ),
    (
        "active, flagged, handover pending, evaluation overdue",
        dict(state=State.ACTIVE, flagged_since=SINCE, handover=HANDOVER, evaluation="overdue"),
        ["handover_under_way", "evaluate_overdue", "publish_policy"],
    ),
    (
        "closing",
        dict(state=State.CLOSING, closure={"url": "/c/1/", "ready": False}),
        ["closure_checklist"],
    ),
    (
        "closing, checklist done",
        dict(state=State.CLOSING, closure={"url": "/c/1/", "ready": True}),
        ["closure_ready"],
    ),
    # A flag or an evaluation date of a channel that is closing or closed does not count.
    (
        "closing and flagged",
        dict(state=State.CLOSING, flagged_since=SINCE, evaluation="overdue"),
        ["closure_checklist"],
    ),
    ("closed", dict(state=State.CLOSED, flagged_since=SINCE), ["closed"]),
]


@pytest.mark.parametrize(("what", "facts", "codes"), CASES, ids=[case[0] for case in CASES])
def test_the_steps_of_each_combination_of_facts(what, facts, codes):
    steps = next_steps(Facts(**facts))
    assert [step.code for step in steps] == codes


def test_there_is_always_a_step_and_nothing_to_do_stands_alone():
    for _what, facts, _codes in CASES:
        codes = [step.code for step in next_steps(Facts(**facts))]
        assert codes
        assert "nothing" not in codes or codes == ["nothing"]


def test_who_acts_on_each_step():
    def actor(**facts):
        return next_steps(Facts(pk=1, **facts))[0].actor

    assert actor(state=State.AWAITING_KOMM, review_url="/r/") == KOMM
    assert actor(state=State.ACTIVE, flagged_since=SINCE, start_handover_url="/s/") == EITHER
    assert actor(state=State.CLOSING, closure={"url": "/c/", "ready": True}) == KOMM
    assert actor(state=State.ACTIVE) == PEOPLE


def test_steps_carry_their_pages():
    steps = next_steps(
        Facts(
            state=State.ACTIVE,
            pk=7,
            evaluation="due",
            start_handover_url="/s/",
            flagged_since=SINCE,
        )
    )
    assert [step.url for step in steps] == [
        "/s/",
        "/channels/7/evaluate/",
        "/channels/7/policy/published/",
    ]
    assert next_steps(Facts(state=State.APPROVED, pk=7))[0].url == "/channels/7/#open"
