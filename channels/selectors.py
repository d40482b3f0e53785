"""Reads: which channels a user may see, and who counts as Komm."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import BigIntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import get_language
from guardian.models import GroupObjectPermission, UserObjectPermission
from guardian.shortcuts import get_objects_for_user, get_user_perms

from channels import hooks
from channels.counts import forget, kept
from channels.models import AuditEntry, Channel, Unit, UnitHead
from channels.wizard.spec import REQUIRED_FOR_SUBMISSION

REVIEW_PERMISSION = "channels.review_channel"
CHANGE_PERMISSION = "channels.change_channel"


def user_is_komm(user) -> bool:
    """Komm reviewers hold the review permission, normally through the group "Komm"."""
    return bool(user and user.is_authenticated and user.has_perm(REVIEW_PERMISSION))


def channels_visible_to(user) -> QuerySet[Channel]:
    """Every channel the user may see: all for Komm, else those they run or deputise."""
    if not user.is_authenticated:
        return Channel.objects.none()
    return get_objects_for_user(
        user, "channels.view_channel", klass=Channel, accept_global_perms=True
    )


def channels_of_user(user) -> QuerySet[Channel]:
    """The channels whose people the user is (the one rule: see user_is_channel_person), for
    "My channels". Komm's and superusers' global rights do not count: this is their own list.

    The object permissions given to the user and to their groups, as one UNION of two indexed
    lookups that the channels are then fetched by primary key for. (guardian's own
    get_objects_for_user ORs two `id::varchar IN (...)` tests, which reads every channel.)"""
    if not (user and user.is_authenticated):
        return Channel.objects.none()
    content_type = ContentType.objects.get_for_model(Channel)
    as_id = Cast("object_pk", BigIntegerField())
    mine = (
        UserObjectPermission.objects.filter(
            user=user,
            permission__content_type=content_type,
            permission__codename="change_channel",
        )
        .order_by()
        .values_list(as_id)
    )
    via_groups = (
        GroupObjectPermission.objects.filter(
            group__user=user,
            permission__content_type=content_type,
            permission__codename="change_channel",
        )
        .order_by()
        .values_list(as_id)
    )
    return Channel.objects.filter(pk__in=mine.union(via_groups)).select_related("platform")


def channels_matching(word: str) -> QuerySet:
    """The ids of the channels with `word` anywhere in their name, address or responsible
    person's e-mail (case-insensitive): a UNION of three lookups that each have a trigram index
    on PostgreSQL (channels 0014, core 0003), where an OR over the three would read every row."""
    ids = Channel.objects.order_by().values("pk")
    return ids.filter(name__icontains=word).union(
        ids.filter(address__icontains=word), ids.filter(responsible__email__icontains=word)
    )


def channel_people(channel: Channel) -> list:
    """Who hears about a channel's decisions: the responsible person, then the deputies."""
    people = [channel.responsible] if channel.responsible_id else []
    people += [d for d in channel.deputies.all() if d.pk != channel.responsible_id]
    return people


def user_is_channel_person(*, user, channel: Channel) -> bool:
    """The one rule of who a channel's people are: its responsible person, its deputies, and
    its creator while it is a draft. channels.services.channel_sync_permissions keeps it in
    guardian's object permissions on every change of people or state; every check asks here.

    Deliberately not `user.has_perm(...)`: that is true for superusers and for Komm's global
    permissions, and Komm reviews channels but does not fill in other people's registrations.
    """
    if not (user and user.is_authenticated and user.is_active):
        return False
    return "change_channel" in get_user_perms(user, channel)


def channel_first_incomplete_step(channel: Channel) -> str:
    """The first wizard step with something missing, or "review" when nothing is."""
    from channels.services import channel_missing_fields

    missing = channel_missing_fields(channel)
    return next((step for step in REQUIRED_FOR_SUBMISSION if step in missing), "review")


def channels_for_owner_page(user) -> QuerySet[Channel]:
    """ "My channels", with what the page shows for each prefetched (no queries per row)."""
    return (
        channels_of_user(user)
        # channel_missing_fields reads these foreign keys for drafts.
        .select_related("responsible", "responsible_unit")
        .prefetch_related("deputyships")
        # What the next step reads (channels.next_step.channel_facts).
        .select_related("policy_publication")
        # What the workflows' facts of each row's next step read (channels.hooks "channel_facts").
        .prefetch_related(*hooks.owner_page_prefetches())
        .annotate(decision_comment=decision_comment())
        .order_by("name", "pk")
    )


def decision_comment() -> Subquery:
    """The reason given with the move into the channel's current state (a decline, Komm's
    request for changes or rejection): the newest audit entry that moved it there."""
    return Subquery(
        AuditEntry.objects.filter(channel=OuterRef("pk"), to_state=OuterRef("state"))
        .order_by("-created_at", "-pk")
        .values("reason")[:1]
    )


def unit_head(unit: Unit | None, *, today: date | None = None) -> UnitHead | None:
    """Who heads `unit` today, as Komm keeps it: an acting head whose dates cover today comes
    before the regular head; None when Komm has named nobody."""
    if unit is None:
        return None
    today = today or timezone.localdate()
    current = unit.heads.filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=today),
        Q(valid_until__isnull=True) | Q(valid_until__gte=today),
    )
    return current.order_by("-acting", "-valid_from", "pk").first()


def normalised_email(email: str) -> str:
    return (email or "").strip().lower()


def prefect_conflicts(*, prefect_email: str, people) -> list:
    """The people (users) whose address is the head of department's: the applicant, the
    responsible person or a deputy can never sign their own channel off."""
    prefect = normalised_email(prefect_email)
    return [person for person in people if person and normalised_email(person.email) == prefect]


# Kept per language (channels.counts.kept): every list with a unit filter shows every unit.
UNIT_CHOICES_KEY = "channels:unit-choices:{language}"


def unit_choices() -> list[tuple[int, str]]:
    """Every unit as (pk, the name the reader sees), in the reader's order (in_language_order):
    read once per language and kept until a unit changes (unit_choices_forget, by
    channels.signals) or for REGISTRY_COUNTS_SECONDS in another process."""
    return kept(
        UNIT_CHOICES_KEY.format(language=get_language()),
        lambda: [(unit.pk, str(unit)) for unit in Unit.objects.in_language_order()],
    )


def unit_choices_forget() -> None:
    forget(*(UNIT_CHOICES_KEY.format(language=code) for code, _name in settings.LANGUAGES))
