"""A cell's value as the register keeps it: states, languages and dates, each read leniently
(a code or its label in Swedish or English; ISO 8601 dates) and refused with a reason."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from channels.models import Channel

S = Channel.State
# The states a channel may enter the register in: running, about to open, or closed.
IMPORTABLE_STATES = (S.ACTIVE, S.APPROVED, S.CLOSED)


def _choice_names(choices) -> dict[str, str]:
    """{code, Swedish label, English label (lower case): code}."""
    names = {}
    for lang in ("sv", "en"):
        with translation.override(lang):
            names.update({str(label).lower(): code for code, label in choices})
    names.update({code.lower(): code for code, _label in choices})
    return names


def read_state(text: str) -> str:
    """The state's code, "" when the cell is empty; ValueError with the reason otherwise."""
    if not text:
        return ""
    code = _choice_names(S.choices).get(text.strip().lower())
    if code is None:
        raise ValueError(_("Unknown state “%(value)s”.") % {"value": text})
    return code


def read_language(text: str) -> str:
    if not text:
        return ""
    code = _choice_names(Channel.Language.choices).get(text.strip().lower())
    if code is None:
        raise ValueError(_("Unknown language “%(value)s”.") % {"value": text})
    return code


@dataclass(frozen=True)
class Moment:
    """A date or a date and time from a cell. A bare date matches any time of that day."""

    when: datetime.datetime
    date_only: bool

    def same_as(self, existing: datetime.datetime | None) -> bool:
        if existing is None:
            return False
        if self.date_only:
            return timezone.localdate(existing) == self.when.date()
        return existing == self.when

    def text(self) -> str:
        return self.when.date().isoformat() if self.date_only else self.when.isoformat()


def read_moment(text: str) -> Moment | None:
    if not text:
        return None
    try:
        parsed = datetime.datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(_("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": text}) from None
    date_only = "T" not in text and " " not in text.strip()
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return Moment(parsed, date_only)


def read_date(text: str) -> datetime.date | None:
    moment = read_moment(text)
    if moment is None:
        return None
    return moment.when.date() if moment.date_only else timezone.localdate(moment.when)
