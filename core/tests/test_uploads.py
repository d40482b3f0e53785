"""core.uploads: a file's type is what its first bytes show, whatever its name says."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.uploads import sniffed_type

HEADS = {
    "image/png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    "image/jpeg": b"\xff\xd8\xff\xe0\x00\x10JFIF",
    "image/gif": b"GIF89a\x01\x00\x01\x00",
    "application/pdf": b"%PDF-1.7\n%\xe2\xe3",
    "image/webp": b"RIFF\x24\x00\x00\x00WEBPVP8 ",
    "video/mp4": b"\x00\x00\x00\x18ftypmp42",
}


@pytest.mark.parametrize(("content_type", "head"), HEADS.items())
def test_each_known_type_is_told_by_its_first_bytes(content_type, head):
    upload = SimpleUploadedFile("named-anything.txt", head + b"rest of the file")
    assert sniffed_type(upload) == content_type
    assert upload.read() == head + b"rest of the file"  # left at its start, to be stored


@pytest.mark.parametrize(
    "head",
    [
        b"",
        b"<html><body>",
        b"GIF90a\x01\x00",  # not a GIF version
        b"RIFF\x24\x00\x00\x00WAVEfmt ",  # a RIFF container, but sound, not WebP
        b"XXXX\x24\x00\x00\x00WEBPVP8 ",  # WEBP where it belongs, but no RIFF header
        b"MZ\x90\x00",  # a Windows program
    ],
)
def test_anything_else_is_none(head):
    assert sniffed_type(SimpleUploadedFile("picture.png", head)) is None


def test_a_gif_of_either_version():
    assert sniffed_type(SimpleUploadedFile("a.gif", b"GIF87a\x01\x00")) == "image/gif"
