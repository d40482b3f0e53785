"""A local SMTP server that keeps what it receives: the scale-out benchmark counts e-mails by
message (their Message-ID and recipients), not by file as Django's file backend writes them."""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass
from email.parser import BytesParser
from email.policy import default

from aiosmtpd.controller import Controller


@dataclass(frozen=True)
class Received:
    message_id: str
    recipients: tuple[str, ...]  # the envelope's, sorted


class _Handler:
    def __init__(self) -> None:
        self.received: list[Received] = []
        self.lock = threading.Lock()

    # aiosmtpd calls a hook of this name for each message.
    async def handle_DATA(self, server, session, envelope) -> str:
        content = envelope.original_content or envelope.content
        if isinstance(content, str):
            content = content.encode()
        headers = BytesParser(policy=default).parsebytes(content, headersonly=True)
        message = Received(
            str(headers.get("Message-ID", "")).strip(), tuple(sorted(envelope.rcpt_tos))
        )
        with self.lock:
            self.received.append(message)
        return "250 Message accepted"


class SmtpSink:
    """Listens on 127.0.0.1 at a free port (`port`) in a thread of its own until `stop()`."""

    def __init__(self) -> None:
        self.handler = _Handler()
        self.port = _free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def start(self) -> None:
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()

    @property
    def received(self) -> list[Received]:
        with self.handler.lock:
            return list(self.handler.received)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
