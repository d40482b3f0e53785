"""Private files (core.storage): outside the web root, without a URL."""

from django.core.files.base import ContentFile

from core.storage import private_storage


def test_a_private_file_lands_under_private_media_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    name = private_storage().save("adorders/banner.png", ContentFile(b"\x89PNG\r\n\x1a\n"))
    assert (tmp_path / name).read_bytes() == b"\x89PNG\r\n\x1a\n"


def test_a_private_file_has_no_url():
    assert private_storage().base_url is None
