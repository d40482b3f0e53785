"""Dates in Swedish pages: ISO 8601, as Swedish public services write them (2026-11-30 10:51).
What is not named here comes from Django's own Swedish formats."""

DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "Y-m-d H:i"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
MONTH_DAY_FORMAT = "j F"
TIME_FORMAT = "H:i"
