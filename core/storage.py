"""Private files: uploads that only a permission-checked view hands out (moderation evidence,
ad creatives). They live under settings.PRIVATE_MEDIA_ROOT, outside the web root, and have no
URL. The location is read at each use, so a test's own PRIVATE_MEDIA_ROOT holds."""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible
class PrivateStorage(FileSystemStorage):
    @property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def base_url(self):  # no URL: served by a view that checks who asks
        return None


def private_storage() -> FileSystemStorage:
    """The storage of every private file (a callable, so migrations do not freeze a path)."""
    return PrivateStorage()
