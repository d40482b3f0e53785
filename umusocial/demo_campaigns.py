"""seed_demo's campaign notices and ad orders: one in every state, on the running demo channels
(umusocial.demo_data names them), driven through the real services."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from approvals.adorders.models import AdOrder
from approvals.adorders.services import ad_order_move, ad_order_submit
from approvals.campaigns.models import CampaignNotice
from approvals.campaigns.services import campaign_notice_answer, campaign_notice_send
from channels.models import Channel
from umusocial.demo_data import AD_ORDERS, CAMPAIGN_NOTICES

# A 1×1 PNG, so that the demo's creative can be downloaded and opened.
PIXEL = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def seed_campaigns(users: dict) -> int:
    """Create the demo's notices and orders once; returns how many were created."""
    if CampaignNotice.objects.exists() or AdOrder.objects.exists():
        return 0
    anna, karin = users["anna"], users["karin"]
    channels = list(Channel.objects.filter(state=Channel.State.ACTIVE, responsible=anna)[:2])
    if not channels:
        return 0
    today = timezone.localdate()
    for title, start, days, answer in CAMPAIGN_NOTICES:
        notice = campaign_notice_send(
            sent_by=anna,
            channels=channels[:1],
            title=title,
            starts_on=today + datetime.timedelta(days=start),
            ends_on=today + datetime.timedelta(days=start + days),
            goal="Fler sökande till våra program.",
            audience="Gymnasieelever och studenter som funderar på vidare studier.",
            content="Tre inlägg i veckan och en kort film.",
            contact="Anna Andersson, anna@umu.se",
        )
        if answer:
            campaign_notice_answer(
                notice=notice,
                answered_by=karin,
                acknowledge=answer == "ack",
                comment="" if answer == "ack" else "Tagga gärna @umeauniversitet.",
            )
    for title, kind, moves in AD_ORDERS:
        order = ad_order_submit(
            ordered_by=anna,
            channels=channels,
            attachments=[SimpleUploadedFile("annons.png", PIXEL, content_type="image/png")],
            kind=kind,
            title=title,
            starts_on=today + datetime.timedelta(days=10),
            ends_on=today + datetime.timedelta(days=30),
            budget=12000,
            target_group="Studenter 19–25 år i norra Sverige.",
            landing_page="https://www.umu.se/utbildning/",
            cost_centre="KS 4711",
        )
        for to in moves:
            user = anna if to == AdOrder.State.WITHDRAWN else karin
            reason = "Budgeten är redan använd i år." if to == AdOrder.State.DECLINED else ""
            ad_order_move(order=order, to=to, user=user, reason=reason)
    return len(CAMPAIGN_NOTICES) + len(AD_ORDERS)
