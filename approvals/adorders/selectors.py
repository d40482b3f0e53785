"""Reads of ad orders: who sees one, Komm's list with its filters and counts."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from approvals.adorders.models import AdAttachment, AdOrder
from approvals.campaigns.selectors import in_period, on_platform, state_counts
from channels.models import Platform
from channels.selectors import channels_of_user, channels_visible_to, user_is_komm


def ad_orders_visible_to(user) -> QuerySet[AdOrder]:
    """Komm sees every order; the orderer and the people of its channels see theirs."""
    orders = AdOrder.objects.all()
    if user_is_komm(user):
        return orders
    if not user.is_authenticated:
        return orders.none()
    visible = channels_visible_to(user).values("pk")
    return orders.filter(Q(channels__in=visible) | Q(ordered_by=user)).distinct()


def ad_attachment_visible_to(user, pk: int) -> AdAttachment | None:
    """A creative, if the user may see its order; None otherwise (the view says 404)."""
    attachment = AdAttachment.objects.filter(pk=pk).first()
    if attachment and ad_orders_visible_to(user).filter(pk=attachment.order_id).exists():
        return attachment
    return None


def _komm_filtered(
    orders: QuerySet[AdOrder], *, kind: str, platform: Platform | None, search: str, period: str
) -> QuerySet[AdOrder]:
    if kind in AdOrder.Kind.values:
        orders = orders.filter(kind=kind)
    return in_period(on_platform(orders, platform, search), period)


def ad_orders_for_komm(
    *,
    state: str = "",
    kind: str = "",
    platform: Platform | None = None,
    search: str = "",
    period: str = "",
) -> QuerySet[AdOrder]:
    """Komm's list: open orders by default, the longest waiting first; a row's orderer and
    channels are fetched for the whole page (no query per row)."""
    orders = AdOrder.objects.select_related("ordered_by").prefetch_related("channels__platform")
    if state in AdOrder.State.values:
        orders = orders.filter(state=state)
    else:
        orders = orders.filter(state__in=AdOrder.OPEN_STATES)
    orders = orders.order_by("state_changed_at", "pk")
    return _komm_filtered(orders, kind=kind, platform=platform, search=search, period=period)


def ad_order_counts(
    *, kind: str = "", platform: Platform | None = None, search: str = "", period: str = ""
) -> dict[str, int]:
    """How many orders are in each state under the list's other filters (one query)."""
    orders = _komm_filtered(
        AdOrder.objects.all(), kind=kind, platform=platform, search=search, period=period
    )
    return state_counts(orders, AdOrder.State.values)


def ad_order_moves_for(user, order: AdOrder) -> list[str]:
    """The states this user may move this order to (the buttons on its page)."""
    allowed = AdOrder.TRANSITIONS[order.state]
    if user_is_komm(user):
        moves = [state for state in allowed if state != AdOrder.State.WITHDRAWN]
    else:
        moves = []
    if AdOrder.State.WITHDRAWN in allowed and user.pk == order.ordered_by_id:
        moves.append(AdOrder.State.WITHDRAWN)
    return [state for state in AdOrder.State.values if state in moves]


# While Komm or the agency has not yet set the ads running, creatives may still be added.
CREATIVES_OPEN_STATES = (AdOrder.State.SUBMITTED, AdOrder.State.IN_PROGRESS)


def ad_order_may_add_creatives(*, order: AdOrder, user) -> bool:
    """Who ordered it, or the people of one of its channels, while it is not yet running."""
    if order.state not in CREATIVES_OPEN_STATES or not user.is_authenticated:
        return False
    if user.pk == order.ordered_by_id:
        return True
    return channels_of_user(user).filter(pk__in=order.channels.values("pk")).exists()
