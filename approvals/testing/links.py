"""The sign-off links the workflows e-mail to heads of department, read the way the head of
department finds them: in the text of the newest such e-mail, as it was delivered.

Delivered, not stored: the outbox row keeps only a placeholder where the link goes (the link is
a credential), so `core.testing.outbox.delivered` sends the row if needed and returns the message.
"""

from __future__ import annotations

import re

from approvals.models import Handover
from channels.models import Channel
from core.models import OutgoingEmail
from core.testing.outbox import delivered

# Tests run with SITE_URL = http://testserver, so a registration's link must start with it.
SIGNOFF_LINK = re.compile(r"http://testserver/approvals/signoff/([^/\s]+)/")
# Browser tests point SITE_URL at the live server, whose port changes: any host.
ANY_SIGNOFF_LINK = re.compile(r"https?://[^/\s]+/approvals/signoff/([^/\s]+)/")


def _link_in(pattern: re.Pattern[str], email: OutgoingEmail | None) -> str:
    return _match(pattern, email).group(1)


def _match(pattern: re.Pattern[str], email: OutgoingEmail | None) -> re.Match[str]:
    assert email is not None, "no such e-mail in the outbox"
    message = delivered(email)
    found = pattern.search(str(message.body))
    assert found is not None, f"no sign-off link in the e-mail {email.template!r}"
    return found


def _newest(template: str) -> OutgoingEmail | None:
    return OutgoingEmail.objects.filter(template=template).order_by("-pk").first()


def link_value(email: OutgoingEmail) -> str:
    """The signed value of the sign-off link in this e-mail, as delivered."""
    return _link_in(SIGNOFF_LINK, email)


def link_url(email: OutgoingEmail) -> str:
    """The whole sign-off link (any host) in this e-mail, as delivered."""
    return _match(ANY_SIGNOFF_LINK, email).group(0)


def latest_link(channel: Channel) -> str:
    """The link value of the newest e-mail asking a head of department to sign off a channel."""
    return _link_in(SIGNOFF_LINK, _newest("signoff-request"))


def handover_link(handover: Handover) -> str:
    """The link value of the newest e-mail to the head of department about a handover."""
    return _link_in(ANY_SIGNOFF_LINK, _newest("handover-signoff-request"))
