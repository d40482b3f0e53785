"""Checks of a rendered page's HTML that hold for every page of the portal: its title names the
page before the site (WCAG 2.4.2), and every `<time datetime>` is a valid machine-readable date
or moment of the HTML standard. Read with Python's own `html.parser`, so nothing to install."""

from __future__ import annotations

import re
from html.parser import HTMLParser

# "<page> – umusocial · Umeå universitet" (Swedish) or "… · Umeå University" (English).
TITLE = re.compile(r"^(?P<page>\S.*\S|\S) – umusocial · Umeå (universitet|University)$")
# The HTML standard's valid date string, and its valid global (or local) date and time string,
# with at most milliseconds: "2026-11-30", "2026-11-30T10:51", "2026-11-30T10:51:56+01:00".
VALID_DATETIME = re.compile(
    r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"
    r"([T ]([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,3})?)?(Z|[+-]([01]\d|2[0-3]):?[0-5]\d)?)?$"
)


class _PageReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.titles: list[str] = []
        self.times: list[str | None] = []
        self._in_title = False
        self._svg_depth = 0  # an SVG's own <title> names a picture, not the page

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "svg":
            self._svg_depth += 1
        elif tag == "title" and not self._svg_depth:
            self._in_title = True
            self.titles.append("")
        elif tag == "time":
            self.times.append(dict(attrs).get("datetime"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg":
            self._svg_depth -= 1
        elif tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.titles[-1] += data


def read_page(html: str) -> _PageReader:
    reader = _PageReader()
    reader.feed(html)
    reader.close()
    return reader


def page_title(html: str) -> str:
    """The page's one `<title>`, its white space collapsed as a browser shows it."""
    titles = read_page(html).titles
    assert len(titles) == 1, f"a page has one <title>, this one {len(titles)}"
    return " ".join(titles[0].split())


def assert_sound_page(html: str) -> None:
    """Fail with what is wrong when the title does not name the page, a `<time>` lacks a valid
    `datetime`, or a select's empty choice is Django's dashes."""
    title = page_title(html)
    assert TITLE.match(title), f"the title should read '<page> – umusocial · Umeå …': {title!r}"
    bad = [value for value in read_page(html).times if not VALID_DATETIME.match(value or "")]
    assert bad == [], f"<time datetime> values that are not valid HTML: {bad}"
    assert ">---------<" not in html, "a select offers Django's '---------', not 'Choose …'"
