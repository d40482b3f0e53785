"""Uploads for tests of the moderation log: a screenshot, a PDF, an executable in disguise."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from approvals.testing.factories import PNG


def screenshot(name: str = "skarmbild.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def pdf(name: str = "polisanmalan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", content_type="application/pdf"
    )


def executable(name: str = "skarmbild.png") -> SimpleUploadedFile:
    """A Windows program named like a screenshot."""
    return SimpleUploadedFile(name, b"MZ\x90\x00" + b"\x00" * 60, content_type="image/png")


def oversized(size: int, name: str = "stor.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG + b"\x00" * size, content_type="image/png")
