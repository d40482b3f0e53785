"""What an uploaded file is, judged by its first bytes, not its name: the one table of file
signatures that the moderation log's attachments and the ad orders' creatives both accept from."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile

# content type -> the marks its first bytes carry, each (where it starts, the bytes). WebP and
# MP4 start with a container's header, so their mark sits a few bytes in (RIFF....WEBP, ....ftyp).
SIGNATURES: dict[str, tuple[tuple[int, bytes], ...]] = {
    "image/png": ((0, b"\x89PNG\r\n\x1a\n"),),
    "image/jpeg": ((0, b"\xff\xd8\xff"),),
    "image/gif": ((0, b"GIF8"), (5, b"a")),  # GIF87a or GIF89a
    "application/pdf": ((0, b"%PDF-"),),
    "image/webp": ((0, b"RIFF"), (8, b"WEBP")),
    "video/mp4": ((4, b"ftyp"),),
}


def sniffed_type(upload: UploadedFile) -> str | None:
    """The content type the file's first bytes show, or None for anything else. The file is
    left at its start, ready to be stored."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for content_type, marks in SIGNATURES.items():
        if all(head[start : start + len(mark)] == mark for start, mark in marks):
            return content_type
    return None
