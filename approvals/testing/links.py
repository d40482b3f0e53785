"""The sign-off links the workflows e-mail to heads of department, read back from the outbox
the way the head of department finds them: in the newest e-mail's text."""

from __future__ import annotations

import re

from approvals.models import Handover
from channels.models import Channel
from core.models import OutgoingEmail

# Tests run with SITE_URL = http://testserver, so a registration's link must start with it.
SIGNOFF_LINK = re.compile(r"http://testserver/approvals/signoff/([^/\s]+)/")
# Browser tests point SITE_URL at the live server, whose port changes: any host.
ANY_SIGNOFF_LINK = re.compile(r"https?://[^/\s]+/approvals/signoff/([^/\s]+)/")


def _link_in(pattern: re.Pattern[str], email: OutgoingEmail | None) -> str:
    assert email is not None, "no such e-mail in the outbox"
    found = pattern.search(email.body_text)
    assert found is not None, f"no sign-off link in the e-mail {email.template!r}"
    return found.group(1)


def link_value(email: OutgoingEmail) -> str:
    """The signed value of the sign-off link in this e-mail."""
    return _link_in(SIGNOFF_LINK, email)


def latest_link(channel: Channel) -> str:
    """The link value of the newest e-mail asking a head of department to sign off a channel."""
    email = OutgoingEmail.objects.filter(template="signoff-request").order_by("-pk").first()
    return _link_in(SIGNOFF_LINK, email)


def handover_link(handover: Handover) -> str:
    """The link value of the newest e-mail to the head of department about a handover."""
    email = (
        OutgoingEmail.objects.filter(template="handover-signoff-request").order_by("-pk").first()
    )
    return _link_in(ANY_SIGNOFF_LINK, email)
