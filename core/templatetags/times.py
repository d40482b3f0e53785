"""`{% time value %}`: the one way a page shows a date or a moment.

It renders `<time datetime="…">…</time>`: the attribute is a valid HTML date or global date and
time (no microseconds, which `|date:"c"` would give and the HTML standard refuses), the text
is in the language's format (umusocial/formats: ISO dates in both languages).
"""

from __future__ import annotations

from datetime import date, datetime

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html

register = template.Library()

FORMATS = {"date": "DATE_FORMAT", "datetime": "DATETIME_FORMAT"}


def machine_value(value: date) -> str:
    """The `datetime` attribute: "2026-11-30" for a date, "2026-11-30T10:51:56+01:00" (local
    time, whole seconds) for a moment."""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(microsecond=0).isoformat()
    return value.isoformat()


@register.simple_tag
def time(value: date | None, show: str = "", css_class: str = "", empty: str = "–") -> str:
    """`{% time channel.state_changed_at %}`; `show="date"` shows only the day of a moment;
    `css_class` is the element's class; `empty` what stands for no value."""
    if value is None or value == "":
        return empty
    kind = show or ("datetime" if isinstance(value, datetime) else "date")
    shown = value
    if isinstance(value, datetime) and timezone.is_aware(value):
        shown = timezone.localtime(value)
    return format_html(
        '<time datetime="{}"{}>{}</time>',
        machine_value(value),
        format_html(' class="{}"', css_class) if css_class else "",
        date_format(shown, FORMATS[kind]),
    )
