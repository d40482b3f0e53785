"""What an ad order's input must be: a landing page on umu.se, creatives of a known type (read
from their content, not their name: core.uploads) and below the size limit."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from core.uploads import sniffed_type

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 10


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
    content_type = sniffed_type(upload)  # every type core.uploads knows is a creative's
    if content_type is not None:
        return content_type
    raise ValidationError(
        _("“%(name)s” is not a PNG, JPEG, GIF, WebP or MP4 file or a PDF.") % {"name": upload.name}
    )
