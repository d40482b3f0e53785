"""A registry of any size, built with bulk inserts, for the benchmark (`manage.py bench_data`).

Shaped like the real one at 100,000 channels: a member of staff per four channels, 120 units
per 100,000 channels, every state in a realistic share, one or two deputies, the audit trail of
each channel's life so far (about six entries), the head of department's sign-off and Komm's
review of every submitted channel, evaluations, handovers (done and open), closures, and the
object permissions that the access rule gives the channel's people (what
channels.services.channel_sync_permissions writes).

Three people log in (password BENCH_PASSWORD): `bench-owner`, the responsible person of
OWNER_CHANNELS channels (all of them in a registry smaller than that), `bench-komm` (group
Komm) and `bench-admin` (superuser). Channels are made in chunks, so memory stays flat.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from guardian.models import UserObjectPermission

from approvals.models import Closure, Handover, KommReview, PrefectSignoff
from channels.addresses import address_key
from channels.models import AuditEntry, Channel, Deputyship, Evaluation, Platform, Unit
from core.models import User

BENCH_PASSWORD = "bench-only-not-a-secret"  # noqa: S105 (the throwaway benchmark database's)
OWNER_CHANNELS = 200
PREFECT = ("Petra Prefekt", "petra.prefekt@umu.se")  # the head of department who signs off
CHUNK = 5000
State = Channel.State
# The share of every state per 1,000 channels (a register some years into its life).
STATE_SHARES: tuple[tuple[str, int], ...] = (
    (State.DRAFT, 40),
    (State.AWAITING_PREFECT, 15),
    (State.PREFECT_DECLINED, 5),
    (State.AWAITING_KOMM, 15),
    (State.CHANGES_REQUESTED, 5),
    (State.APPROVED, 20),
    (State.ACTIVE, 800),
    (State.REJECTED, 10),
    (State.CLOSING, 5),
    (State.CLOSED, 85),
)
SUBMITTED = {s for s, _n in STATE_SHARES} - {State.DRAFT}
PAST_PREFECT = SUBMITTED - {State.AWAITING_PREFECT, State.PREFECT_DECLINED}
PAST_KOMM = PAST_PREFECT - {State.AWAITING_KOMM}
RUNNING = {State.APPROVED, State.ACTIVE, State.CLOSING, State.CLOSED}


def state_of(i: int) -> str:
    """The state of channel number i: every 1,000 channels have the shares above, spread (617
    is prime to 1,000) so that even the first ten have several states."""
    slot, start = (i * 617) % 1000, 0
    for state, share in STATE_SHARES:
        start += share
        if slot < start:
            return state
    raise AssertionError("the shares add up to 1000")


@dataclass
class World:
    """What every chunk draws on."""

    units: list[Unit]
    platforms: list[Platform]
    staff: list[User]
    owner: User
    komm: User
    perms: list[Permission]
    content_type: ContentType
    now: datetime
    rng: random.Random
    owner_step: int


def build(channels: int, *, seed: int = 11) -> dict[str, int]:
    """Make `channels` channels and everything around them; return how many rows of each."""
    world = make_world(channels, seed=seed)
    counts = add_channels(world, 0, channels)
    counts["users"] = len(world.staff) + 3
    counts["units"] = len(world.units)
    return counts


def add_channels(world: World, start: int, stop: int) -> dict[str, int]:
    """Channels number `start` to `stop` (exclusive) and what belongs to them."""
    counts: dict[str, int] = {}
    for first in range(start, stop, CHUNK):
        for name, n in _chunk(world, first, min(first + CHUNK, stop)).items():
            counts[name] = counts.get(name, 0) + n
    return counts


def make_world(channels: int, *, seed: int = 11) -> World:
    """The units, the staff and the three people who log in, for a registry of `channels`."""
    rng = random.Random(seed)  # noqa: S311 (repeatable made-up data, no secret)
    units = Unit.objects.bulk_create(
        Unit(name=f"Bänkenhet {i}", name_en=f"Bench unit {i}", kind=Unit.Kind.DEPARTMENT)
        for i in range(max(3, channels * 120 // 100_000))
    )
    staff = _staff(max(10, channels // 4), rng)
    password = make_password(BENCH_PASSWORD)
    owner, komm, _admin = User.objects.bulk_create(
        [
            User(username="bench-owner", email="bench-owner@umu.se", password=password),
            User(username="bench-komm", email="bench-komm@umu.se", password=password),
            User(
                username="bench-admin",
                email="bench-admin@umu.se",
                password=password,
                is_staff=True,
                is_superuser=True,
            ),
        ]
    )
    komm.groups.add(Group.objects.get(name="Komm"))
    content_type = ContentType.objects.get_for_model(Channel)
    return World(
        units=units,
        platforms=list(Platform.objects.filter(is_active=True).order_by("pk")),
        staff=staff,
        owner=owner,
        komm=komm,
        perms=list(
            Permission.objects.filter(
                content_type=content_type, codename__in=["view_channel", "change_channel"]
            )
        ),
        content_type=content_type,
        now=timezone.now(),
        rng=rng,
        owner_step=max(1, channels // OWNER_CHANNELS),
    )


def _staff(count: int, rng: random.Random) -> list[User]:
    unusable = make_password(None)  # nobody logs in as a member of the staff
    return User.objects.bulk_create(
        (
            User(
                username=f"bench-u{i}",
                email=f"bench-u{i}@umu.se",
                first_name=rng.choice(["Anna", "Bo", "Cecilia", "David", "Eva", "Filip"]),
                last_name=f"Bänksson {i}",
                password=unusable,
                language=rng.choice(["sv", "sv", "en"]),
            )
            for i in range(count)
        ),
        batch_size=CHUNK,
    )


def _chunk(world: World, start: int, stop: int) -> dict[str, int]:
    channels = Channel.objects.bulk_create(
        [_channel(world, i) for i in range(start, stop)], batch_size=CHUNK
    )
    deputies = Deputyship.objects.bulk_create(_deputies(world, channels), batch_size=CHUNK)
    # Every channel made here has a responsible person (drafts too: the creator).
    people: dict[int, set[int]] = {c.pk: {c.responsible_id or 0} for c in channels}
    for deputyship in deputies:
        people[deputyship.channel_id].add(deputyship.user_id)
    counts = {"channels": len(channels), "deputies": len(deputies)}
    counts["object permissions"] = len(
        UserObjectPermission.objects.bulk_create(
            (
                UserObjectPermission(
                    user_id=user,
                    permission=perm,
                    content_type=world.content_type,
                    object_pk=str(pk),
                )
                for pk, users in people.items()
                for user in users
                for perm in world.perms
            ),
            batch_size=CHUNK,
        )
    )
    counts["audit entries"] = len(
        AuditEntry.objects.bulk_create(_audit(world, channels), batch_size=CHUNK)
    )
    counts.update(_workflows(world, channels))
    return counts


def _channel(world: World, i: int) -> Channel:
    state = state_of(i)
    platform = world.platforms[i % len(world.platforms)]
    unit = world.units[i % len(world.units)]
    # The owner's channels are spread over the table, as a real person's are.
    owned = i % world.owner_step == 0 and i // world.owner_step < OWNER_CHANNELS
    responsible = world.owner if owned else world.staff[i % len(world.staff)]
    domain = (platform.domains or ["example.com"])[0]
    address = f"https://{domain}/umu_bench_{i}"
    running = state in RUNNING
    return Channel(
        name=f"{unit.name} {platform.name} {i}",
        platform=platform,
        address=address,
        address_key=address_key(address),
        address_is_planned=state != State.ACTIVE,
        sender=Channel.Sender.UNIT,
        sender_unit=unit,
        responsible_unit=unit,
        purpose="Nå studenter och medarbetare med nyheter från enheten.",
        audience_primary="Studenter",
        created_by=responsible,
        responsible=responsible,
        state=state,
        state_changed_at=world.now - timedelta(days=i % 400),
        submitted_at=world.now - timedelta(days=i % 400 + 30) if state in SUBMITTED else None,
        evaluation_method="Enkät till följarna" if i % 3 else "",
        evaluation_interval_months=12,
        next_evaluation_on=(
            timezone.localdate(world.now) + timedelta(days=-30 + i % 365)
            if state in (State.APPROVED, State.ACTIVE)
            else None
        ),
        needs_handover_since=world.now if running and i % 200 == 13 else None,
        case_number=f"UMU 1.2.3-{i}" if state in PAST_KOMM else "",
        # Named by every submitted registration (the head of department signs it off).
        prefect_name=PREFECT[0] if state in SUBMITTED else "",
        prefect_email=PREFECT[1] if state in SUBMITTED else "",
        closed_at=world.now if state == State.CLOSED else None,
    )


def _deputies(world: World, channels: list[Channel]) -> Iterator[Deputyship]:
    staff = world.staff
    for channel in channels:
        first = staff[(channel.pk * 7 + 1) % len(staff)]
        yield Deputyship(channel=channel, user=first, phone="090-786 00 00")
        if channel.pk % 3 == 0:
            second = staff[(channel.pk * 7 + 2) % len(staff)]
            if second.pk != first.pk:
                yield Deputyship(channel=channel, user=second)


def _audit(world: World, channels: list[Channel]) -> Iterator[AuditEntry]:
    """The entries a channel's life writes: created, submitted, the two approvals, opened, and
    an edit or two."""
    Action = AuditEntry.Action
    for channel in channels:
        actor = channel.responsible
        yield AuditEntry(channel=channel, action=Action.CREATED, actor=actor, to_state=State.DRAFT)
        if channel.state not in SUBMITTED:
            continue
        yield AuditEntry(
            channel=channel,
            action="submitted",
            actor=actor,
            from_state=State.DRAFT,
            to_state=State.AWAITING_PREFECT,
        )
        if channel.state in PAST_PREFECT:
            yield AuditEntry(
                channel=channel,
                action="prefect_approved",
                actor_name="Petra Prefekt",
                from_state=State.AWAITING_PREFECT,
                to_state=State.AWAITING_KOMM,
            )
        if channel.state in PAST_KOMM:
            yield AuditEntry(
                channel=channel,
                action="komm_approved",
                actor=world.komm,
                from_state=State.AWAITING_KOMM,
                to_state=State.APPROVED,
            )
            for _edit in range(channel.pk % 3):
                yield AuditEntry(
                    channel=channel,
                    action=Action.EDITED,
                    actor=actor,
                    changes={"purpose": ["Förr", "Nu"]},
                )


def _workflows(world: World, channels: list[Channel]) -> dict[str, int]:
    """Sign-offs, reviews, evaluations, handovers and closures, as each channel's state has
    them."""
    signoffs, reviews, evaluations, handovers, closures = [], [], [], [], []
    for channel in channels:
        if channel.state in SUBMITTED:
            signoffs.append(_signoff(world, channel))
        if channel.state in PAST_KOMM | {State.CHANGES_REQUESTED, State.REJECTED}:
            reviews.append(_review(world, channel))
        if channel.state == State.ACTIVE and channel.pk % 2:
            evaluations.append(_evaluation(world, channel))
        if channel.state == State.ACTIVE and channel.pk % 50 == 3:
            handovers.append(_handover(world, channel, open_=channel.pk % 200 == 3))
        if channel.state in (State.CLOSING, State.CLOSED):
            closures.append(_closure(world, channel))
    return {
        "sign-offs": len(PrefectSignoff.objects.bulk_create(signoffs, batch_size=CHUNK)),
        "reviews": len(KommReview.objects.bulk_create(reviews, batch_size=CHUNK)),
        "evaluations": len(Evaluation.objects.bulk_create(evaluations, batch_size=CHUNK)),
        "handovers": len(Handover.objects.bulk_create(handovers, batch_size=CHUNK)),
        "closures": len(Closure.objects.bulk_create(closures, batch_size=CHUNK)),
    }


def _signoff(world: World, channel: Channel) -> PrefectSignoff:
    pending = channel.state == State.AWAITING_PREFECT
    declined = channel.state == State.PREFECT_DECLINED
    Decision = PrefectSignoff.Decision
    return PrefectSignoff(
        channel=channel,
        prefect_name=PREFECT[0],
        prefect_email=PREFECT[1],
        responsible=channel.responsible,
        requested_by=channel.responsible,
        token_hash=f"bench-{channel.pk}",
        expires_at=world.now + timedelta(days=14),
        decision=Decision.PENDING if pending else Decision.DECLINED if declined else "approved",
        reason="Fel enhet." if declined else "",
        decided_at=None if pending else world.now,
    )


def _review(world: World, channel: Channel) -> KommReview:
    decisions: dict[str, str] = {
        State.CHANGES_REQUESTED: KommReview.Decision.CHANGES_REQUESTED,
        State.REJECTED: KommReview.Decision.REJECTED,
    }
    decision = decisions.get(channel.state, KommReview.Decision.APPROVED)
    return KommReview(
        channel=channel,
        decision=decision,
        reviewer=world.komm,
        comment="" if decision == KommReview.Decision.APPROVED else "Beskriv målgruppen.",
        case_number=channel.case_number,
    )


def _evaluation(world: World, channel: Channel) -> Evaluation:
    return Evaluation(
        channel=channel,
        evaluated_on=timezone.localdate(world.now) - timedelta(days=channel.pk % 300),
        summary="Enkät och statistik.",
        meets_purpose=True,
        duties_kept=True,
        decision=Evaluation.Decision.CONTINUE,
        registry_confirmed=True,
        submitted_by=channel.responsible,
    )


def _handover(world: World, channel: Channel, *, open_: bool) -> Handover:
    new = world.staff[(channel.pk * 11) % len(world.staff)]
    return Handover(
        channel=channel,
        state=Handover.State.IN_PROGRESS if open_ else Handover.State.COMPLETED,
        previous_responsible=channel.responsible,
        new_responsible=new,
        reason=Handover.Reason.NEW_ROLE,
        started_by=channel.responsible,
        accepted_at=world.now,
        completed_at=None if open_ else world.now,
    )


def _closure(world: World, channel: Channel) -> Closure:
    closed = channel.state == State.CLOSED
    return Closure(
        channel=channel,
        state=Closure.State.CONFIRMED if closed else Closure.State.IN_PROGRESS,
        reason="Kanalen behövs inte längre.",
        state_before=State.ACTIVE,
        started_by=channel.responsible,
        confirmed_by=world.komm if closed else None,
        confirmed_at=world.now if closed else None,
    )
