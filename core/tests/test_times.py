"""`{% time %}`: valid machine-readable values and one ISO format in both languages."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from django.template import Context, Template
from django.utils import translation

from core.testing.html import VALID_DATETIME

MOMENT = datetime(2026, 11, 30, 9, 51, 56, 476650, tzinfo=timezone.utc)  # 10:51:56 in Umeå


def render(source: str, lang: str, **context) -> str:
    with translation.override(lang):
        return Template("{% load times %}" + source).render(Context(context))


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_moment_is_shown_in_local_time_without_microseconds(lang):
    html = render("{% time when %}", lang, when=MOMENT)

    assert html == '<time datetime="2026-11-30T10:51:56+01:00">2026-11-30 10:51</time>'
    assert VALID_DATETIME.match("2026-11-30T10:51:56+01:00")
    assert not VALID_DATETIME.match("2026-11-30T10:51:56.476650+01:00")


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_day_and_the_day_of_a_moment_are_iso_dates(lang):
    assert render("{% time day %}", lang, day=date(2026, 3, 5)) == (
        '<time datetime="2026-03-05">2026-03-05</time>'
    )
    assert render('{% time when show="date" css_class="small" %}', lang, when=MOMENT) == (
        '<time datetime="2026-11-30T10:51:56+01:00" class="small">2026-11-30</time>'
    )


def test_no_value_is_a_dash():
    assert render("{% time nothing %}", "en", nothing=None) == "–"


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_date_filter_writes_iso_dates_in_both_languages(lang):
    """Not "11/30/2026 10:51 a.m." or "Nov. 30, 2026" in English (umusocial/formats)."""
    html = render(
        '{{ when|date:"DATE_FORMAT" }}|{{ when|date:"SHORT_DATETIME_FORMAT" }}', lang, when=MOMENT
    )
    assert html == "2026-11-30|2026-11-30 10:51"
