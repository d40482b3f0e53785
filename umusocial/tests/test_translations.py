"""The UI is complete in Swedish and English: msgids are English, the Swedish catalogue must
translate every one of them, and the compiled catalogue must match the source."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import polib
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from core.testing.environment import need

PO_FILE = Path(settings.BASE_DIR) / "locale" / "sv" / "LC_MESSAGES" / "django.po"
SOURCE_DIRS = ("umusocial", "channels", "approvals", "templates")


def _untranslated(catalogue: polib.POFile) -> list[str]:
    return [e.msgid for e in catalogue if not e.obsolete and (not e.translated() or e.fuzzy)]


def test_every_swedish_entry_is_translated():
    catalogue = polib.pofile(str(PO_FILE))
    assert len(catalogue) > 100
    assert _untranslated(catalogue) == []


def test_compiled_catalogue_matches_the_source():
    """A stale django.mo shows English where the .po has Swedish."""
    catalogue = polib.pofile(str(PO_FILE))
    stale = []
    with translation.override("sv"):
        for entry in catalogue.translated_entries():
            if entry.msgid_plural or entry.msgctxt:
                continue
            if translation.gettext(entry.msgid) != entry.msgstr:
                stale.append(entry.msgid)
    assert stale == [], "Run `make messages` to compile locale/sv/LC_MESSAGES/django.mo"


def test_every_string_in_the_code_is_in_the_swedish_catalogue(tmp_path, monkeypatch):
    """Extract the strings afresh (as `make messages` does) and check none is untranslated."""
    need("GNU gettext", shutil.which("xgettext") is not None, "apt-get install gettext")
    for name in SOURCE_DIRS:
        (tmp_path / name).symlink_to(Path(settings.BASE_DIR) / name)
    target = tmp_path / "locale" / "sv" / "LC_MESSAGES"
    target.mkdir(parents=True)
    shutil.copy(PO_FILE, target / "django.po")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(settings, "LOCALE_PATHS", [tmp_path / "locale"])
    call_command("makemessages", locale=["sv"], symlinks=True, verbosity=0, no_obsolete=True)
    fresh = polib.pofile(str(target / "django.po"))
    assert _untranslated(fresh) == [], "Run `make messages` and translate the new strings"
    assert os.path.getsize(target / "django.po") > 0
