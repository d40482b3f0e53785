"""Where creatives are kept: under VAR_DIR/private, never under a URL the web server serves.

Only `approvals.adorders.views.ad_order_attachment` hands a file out, after asking who may see
the order. The location is read from the settings at each use, so a test's VAR_DIR holds.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible
class PrivateStorage(FileSystemStorage):
    @property
    def base_location(self):  # read at each use, see above
        return Path(settings.VAR_DIR) / "private"

    @property
    def location(self):
        return str(self.base_location.resolve())

    @property
    def base_url(self):  # no URL: served by a permission-checked view
        return None
