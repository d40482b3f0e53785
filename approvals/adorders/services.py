"""Ad orders: a channel's people order ads through Komm; Komm moves the order on or declines it;
the orderer may withdraw it. Every step is in the channels' trails and e-mailed."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals import emails
from approvals.adorders.models import AdAttachment, AdOrder
from approvals.adorders.selectors import CREATIVES_OPEN_STATES, ad_order_may_add_creatives
from approvals.adorders.validation import (
    MAX_ATTACHMENTS,
    attachment_content_type,
    landing_page_error,
)
from approvals.campaigns.audit import CampaignEvent
from approvals.campaigns.services import audit_on_channels, check_channels, period_errors
from channels.models import Channel
from channels.selectors import user_is_komm
from core.states import transition

REQUIRED = ("title", "target_group", "landing_page", "cost_centre")


def _budget_error(budget) -> str | None:
    if isinstance(budget, bool) or not isinstance(budget, int) or budget <= 0:
        return _("Give the budget in whole kronor, more than 0.")
    return None


def _order_errors(fields: dict, attachments: list) -> dict:
    errors: dict = {}
    if fields.get("kind") not in AdOrder.Kind.values:
        errors["kind"] = _("Choose what you order.")
    for name in REQUIRED:
        if not (fields.get(name) or "").strip():
            errors[name] = _("This is needed.")
    errors.update(period_errors(fields.get("starts_on"), fields.get("ends_on")))
    if budget_error := _budget_error(fields.get("budget")):
        errors["budget"] = budget_error
    if "landing_page" not in errors and (error := landing_page_error(fields["landing_page"])):
        errors["landing_page"] = error
    if len(attachments) > MAX_ATTACHMENTS:
        errors["attachments"] = _("At most %(n)d creatives.") % {"n": MAX_ATTACHMENTS}
    return errors


def _attachment_types(attachments: list) -> list[str]:
    types, problems = [], []
    for upload in attachments:
        try:
            types.append(attachment_content_type(upload))
        except ValidationError as error:
            problems += error.messages
    if problems:
        raise ValidationError({"attachments": problems})
    return types


def _store_attachments(order: AdOrder, attachments: list, types: list[str]) -> list[AdAttachment]:
    return [
        AdAttachment.objects.create(
            order=order,
            file=upload,
            name=upload.name[:200],
            content_type=content_type,
            size=upload.size,
        )
        for upload, content_type in zip(attachments, types, strict=True)
    ]


@transaction.atomic
def ad_order_submit(
    *, ordered_by, channels: list[Channel], attachments: list | None = None, **fields
) -> AdOrder:
    """Order ads. `fields`: kind, title, starts_on, ends_on, budget (SEK), target_group,
    landing_page (on umu.se), cost_centre, notes. Nothing is stored unless all is right."""
    attachments = list(attachments or [])
    check_channels(channels=channels, user=ordered_by)
    errors = _order_errors(fields, attachments)
    if errors:
        raise ValidationError(errors)
    types = _attachment_types(attachments)
    values = {name: fields[name].strip() for name in REQUIRED}
    order = AdOrder.objects.create(
        ordered_by=ordered_by,
        kind=fields["kind"],
        starts_on=fields["starts_on"],
        ends_on=fields["ends_on"],
        budget=fields["budget"],
        notes=(fields.get("notes") or "").strip(),
        **values,
    )
    order.channels.set(channels)
    _store_attachments(order, attachments, types)
    audit_on_channels(
        channels, action=CampaignEvent.AD_ORDERED, actor=ordered_by, params={"title": order.title}
    )
    emails.ad_order_submitted(order=order)
    return order


def ad_order_transition(*, order: AdOrder, to: str, actor, reason: str = "") -> AdOrder:
    """The only writer of an order's state (core.states), with an entry on each channel and
    an e-mail to those concerned."""
    fields = {"decline_reason": reason} if to == AdOrder.State.DECLINED else {}
    from_state = transition(order, to=to, fields=fields, timestamp_field="state_changed_at")
    audit_on_channels(
        order.channels.all(),
        action=CampaignEvent.AD_ORDER_MOVED,
        actor=actor,
        params={"title": order.title, "from": from_state, "to": to},
        reason=reason,
    )
    emails.ad_order_changed(order=order)
    return order


@transaction.atomic
def ad_order_move(*, order: AdOrder, to: str, user, reason: str = "") -> AdOrder:
    """Komm moves an order on or declines it (with a reason); only the orderer withdraws it."""
    reason = reason.strip()
    if to == AdOrder.State.WITHDRAWN:
        if user.pk != order.ordered_by_id:
            raise PermissionDenied(_("Only who ordered it can withdraw an order."))
    elif not user_is_komm(user):
        raise PermissionDenied(_("Only Komm handles ad orders."))
    if to == AdOrder.State.DECLINED and not reason:
        raise ValidationError({"reason": _("Say why the order is declined.")})
    return ad_order_transition(order=order, to=to, actor=user, reason=reason)


def ad_order_waiting_since(order: AdOrder):
    """How long an open order has waited in its state (Komm's list)."""
    return timezone.now() - order.state_changed_at


@transaction.atomic
def ad_order_add_creatives(*, order: AdOrder, user, attachments: list) -> list[AdAttachment]:
    """Add creatives to an order after ordering, with the same checks as when ordering; the
    channels' trails say so and Komm is told. Nothing is stored unless all of them are right."""
    order = AdOrder.objects.select_for_update().get(pk=order.pk)
    if not ad_order_may_add_creatives(order=order, user=user):
        if order.state not in CREATIVES_OPEN_STATES:
            raise ValidationError(
                {"attachments": _("Creatives can be added until the ads are running.")}
            )
        raise PermissionDenied(_("Only who ordered it or the channels' people add creatives."))
    attachments = list(attachments)
    if not attachments:
        raise ValidationError({"attachments": _("Choose one or more files.")})
    if order.attachments.count() + len(attachments) > MAX_ATTACHMENTS:
        raise ValidationError(
            {"attachments": _("At most %(n)d creatives per order.") % {"n": MAX_ATTACHMENTS}}
        )
    added = _store_attachments(order, attachments, _attachment_types(attachments))
    audit_on_channels(
        order.channels.all(),
        action=CampaignEvent.AD_CREATIVES_ADDED,
        actor=user,
        params={"title": order.title, "files": [attachment.name for attachment in added]},
    )
    emails.ad_order_creatives_added(order=order, attachments=added, added_by=user)
    return added
