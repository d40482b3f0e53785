"""What an ad order's input must be: a landing page on umu.se, creatives of a known type (read
from their content, not their name) and below the size limit."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 10

# The first bytes of each accepted type: a file named "ad.png" that is not a PNG is refused.
_SIGNATURES: tuple[tuple[bytes, int, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", 0, "image/png"),
    (b"\xff\xd8\xff", 0, "image/jpeg"),
    (b"GIF87a", 0, "image/gif"),
    (b"GIF89a", 0, "image/gif"),
    (b"%PDF-", 0, "application/pdf"),
    (b"WEBP", 8, "image/webp"),
    (b"ftyp", 4, "video/mp4"),
)


def landing_page_error(url: str) -> str | None:
    """None if `url` is an https or http address on umu.se or one of its subdomains."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not (host == "umu.se" or host.endswith(".umu.se")):
        return _("The landing page must be an address on umu.se, e.g. https://www.umu.se/...")
    return None


def attachment_content_type(upload) -> str:
    """The type of an uploaded creative by its content, or ValidationError."""
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            _("“%(name)s” is %(size)s; a creative may be at most %(max)s.")
            % {
                "name": upload.name,
                "size": filesizeformat(upload.size),
                "max": filesizeformat(MAX_ATTACHMENT_BYTES),
            }
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for signature, offset, content_type in _SIGNATURES:
        if head[offset : offset + len(signature)] == signature:
            return content_type
    raise ValidationError(
        _("“%(name)s” is not a PNG, JPEG, GIF, WebP or MP4 file or a PDF.") % {"name": upload.name}
    )
