"""Keeping personal data no longer than needed (docs/security.md, the record of processing)."""

from __future__ import annotations

from axes.handlers.proxy import AxesProxyHandler
from celery import shared_task
from django.conf import settings


@shared_task
def prune_sign_in_records() -> int:
    """Delete the record of successful sign-ins (who, from which address, with which browser)
    older than LOGIN_RECORD_DAYS. Failed attempts go by themselves once their lockout is over."""
    return AxesProxyHandler.reset_logs(age_days=settings.LOGIN_RECORD_DAYS)
