"""The development mailbox's delivered copies (DEBUG only).

An outbox row keeps placeholders where its secrets went (a sign-off link is a credential), so
the row alone cannot show a developer the link to click. What was delivered can: in
development the file backend (`EMAIL_BACKEND` with DEBUG on) writes every message to
`EMAIL_FILE_PATH` (var/mail), and the row keeps the Message-ID it was sent with. /dev/mail/
shows that delivered copy when it finds it, and the stored row otherwise.
"""

from __future__ import annotations

import email
import email.policy
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

from django.conf import settings

from core.models import OutgoingEmail

FILE_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
# The file backend ends each message with a line of 79 dashes.
SEPARATOR = b"\n" + b"-" * 79 + b"\n"


@dataclass(frozen=True)
class DeliveredCopy:
    path: Path
    text: str
    html: str


def delivered_copy(outgoing: OutgoingEmail) -> DeliveredCopy | None:
    """The message as the file backend wrote it, or None (not sent, other backend, deleted)."""
    if outgoing.sent_at is None or settings.EMAIL_BACKEND != FILE_BACKEND:
        return None
    folder = Path(settings.EMAIL_FILE_PATH)
    if not folder.is_dir():
        return None
    wanted = outgoing.message_id.encode()
    # Newest first: a message is written when it is sent, so the match is usually near the top.
    for path in sorted(folder.glob("*.log"), reverse=True):
        data = path.read_bytes()
        if wanted not in data:
            continue
        for chunk in data.split(SEPARATOR):
            message = email.message_from_bytes(chunk, policy=email.policy.default)
            if message.get("Message-ID") == outgoing.message_id:
                return _copy(path, message)
    return None


def _copy(path: Path, message: EmailMessage) -> DeliveredCopy:
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    return DeliveredCopy(
        path=path,
        text=text.get_content().strip() if text else "",
        html=html.get_content().strip() if html else "",
    )
