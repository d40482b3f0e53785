"""Dates in English pages: the same ISO 8601 as in Swedish (2026-11-30 10:51), not Django's US
style ("11/30/2026 10:51 a.m."), which readers in Sweden and abroad misread. What is not named
here comes from Django's own English formats."""

from umusocial.formats.sv.formats import (
    DATE_FORMAT,
    DATETIME_FORMAT,
    MONTH_DAY_FORMAT,
    SHORT_DATE_FORMAT,
    SHORT_DATETIME_FORMAT,
    TIME_FORMAT,
)

__all__ = [
    "DATETIME_FORMAT",
    "DATE_FORMAT",
    "MONTH_DAY_FORMAT",
    "SHORT_DATETIME_FORMAT",
    "SHORT_DATE_FORMAT",
    "TIME_FORMAT",
]
