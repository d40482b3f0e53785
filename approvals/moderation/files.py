"""What an attachment may be: a screenshot (PNG, JPEG, GIF, WebP) or a PDF, judged by its first
bytes as well as its name, and no bigger than settings.MODERATION_ATTACHMENT_MAX_BYTES."""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from core.uploads import sniffed_type

# extension -> the content type its bytes must show (core.uploads)
ALLOWED = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".pdf": "application/pdf",
}


def attachment_check(upload: UploadedFile) -> str:
    """The file's content type, or ValidationError saying what is wrong with it."""
    name = upload.name or ""
    limit = settings.MODERATION_ATTACHMENT_MAX_BYTES
    if upload.size is None or upload.size > limit:
        raise ValidationError(
            _("“%(name)s” is too big: at most %(limit)s per file.")
            % {"name": name, "limit": filesizeformat(limit)}
        )
    extension = PurePath(name).suffix.lower()
    if extension not in ALLOWED:
        raise ValidationError(
            _("“%(name)s” is not a screenshot or a PDF: attach PNG, JPEG, GIF, WebP or PDF files.")
            % {"name": name}
        )
    content_type = ALLOWED[extension]
    if sniffed_type(upload) != content_type:
        raise ValidationError(
            _("“%(name)s” is not what its name says: its content is not a %(type)s file.")
            % {"name": name, "type": extension.lstrip(".").upper()}
        )
    return content_type


def stored_name(upload: UploadedFile) -> str:
    """A random name, so that the file's place on disk says nothing and cannot be guessed."""
    return f"{uuid.uuid4().hex}{PurePath(upload.name or '').suffix.lower()}"
