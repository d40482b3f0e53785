"""Render an e-mail once and fill it in per recipient: for the reminder sweep, which writes
tens of thousands of e-mails that differ only in a few names and links.

A `Stencil` is the e-mail's context with **stand-ins** (`Stand`) for its objects and a
**mark** (`mark("name")`) in place of every text that differs per recipient, plus the `fill`:
the real value of each mark. Everything else the wording depends on (a date, a count that picks
a plural, whether an optional text is there) is in its `shape`. E-mails of one template,
language and shape are rendered once (`StencilCache`); each e-mail then replaces the marks by its
values, escaped wherever the template engine escaped the mark.

Safe by construction, and else exact by falling back:
- a template that reads anything a stand-in does not hold raises `StencilMiss`, and the e-mail
  is rendered in full instead (and so is every e-mail of that shape);
- a mark that a filter has altered is not found, and the e-mail is rendered in full instead.
`core/tests/test_stencils.py` and `approvals/tests/test_reminder_stencils.py` render every
stencilled e-mail both ways and compare.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field

log = logging.getLogger(__name__)

# A mark carries an "&": where the template escapes the mark, it comes out as "&amp;", and the
# value filled in there is escaped too. So each place gets what the engine would have given it.
_MARK = re.compile("\ue000(\\w+)(&|&amp;)\ue001")
# A cache of rendered stencils is bounded: a sweep has a few thousand shapes at most.
CACHE_LIMIT = 20_000


def mark(name: str) -> str:
    """What a stencil's context holds where the text `name` of the fill goes (two characters
    of Unicode's private use area around the name: no template or escaping alters them)."""
    return f"\ue000{name}&\ue001"


class StencilMiss(Exception):
    """A template read something that its stencil's stand-ins do not hold."""

    silent_variable_failure = False


class Stand:
    """A stand-in for an object in a stencil's context: exactly the attributes it is given.
    Reading any other raises StencilMiss (the template engine lets it through)."""

    def __init__(self, **attributes):
        self.__dict__.update(attributes)

    def __getattr__(self, name: str):
        raise StencilMiss(name)


@dataclass(frozen=True)
class Stencil:
    shape: tuple
    context: dict = field(compare=False, hash=False)
    fill: dict[str, str] = field(compare=False, hash=False)


# A rendered part cut at its marks, once (`_cut`): the text before the first mark, then per
# mark its name, how the template wrote it ("&" or "&amp;") and the text up to the next one.
Cut = list[str]


class StencilCache:
    """The stencils rendered so far, by (template, languages, shape), each part cut at its
    marks; None for a shape that cannot be stencilled."""

    def __init__(self):
        self._rendered: dict[tuple, list[tuple[Cut, Cut, Cut]] | None] = {}

    def parts(
        self,
        *,
        template: str,
        languages: tuple[str, ...],
        stencil: Stencil,
        render: Callable[[str, dict], tuple[str, str, str]],
    ) -> list[tuple[str, str, str]] | None:
        """[(subject, text, html)] per language, filled in; None when it must be rendered in
        full. `render(language, context)` renders one language."""
        key = (template, languages, stencil.shape)
        if key not in self._rendered:
            if len(self._rendered) >= CACHE_LIMIT:
                self._rendered.clear()
            self._rendered[key] = _render_stencil(template, languages, stencil, render)
        rendered = self._rendered[key]
        if rendered is None:
            return None
        try:
            return [
                (
                    _fill(subject, stencil.fill),
                    _fill(text, stencil.fill),
                    _fill(html, stencil.fill),
                )
                for subject, text, html in rendered
            ]
        except KeyError:
            return None


def _render_stencil(template, languages, stencil, render) -> list[tuple[Cut, Cut, Cut]] | None:
    try:
        rendered = [render(language, stencil.context) for language in languages]
    except StencilMiss as miss:
        log.warning("E-mail %s reads %s, which its stencil lacks: rendered in full", template, miss)
        return None
    if any(_left_over(part) for parts in rendered for part in parts):
        log.warning("E-mail %s alters a mark with a filter: rendered in full", template)
        return None
    return [(_cut(subject), _cut(text), _cut(html)) for subject, text, html in rendered]


def fill_in(rendered: str, fill: dict[str, str]) -> str:
    """Every mark replaced by its value (escaped where the template escaped the mark), in one
    pass: a value that happens to look like a mark is never replaced again. KeyError for a mark
    without a value (a filter changed its name)."""
    return _fill(_cut(rendered), fill)


def _cut(rendered: str) -> Cut:
    return _MARK.split(rendered)


def _fill(cut: Cut, fill: dict[str, str]) -> str:
    """The cut text with its marks filled in: no search of the text per e-mail."""
    pieces = [cut[0]]
    for i in range(1, len(cut), 3):
        text = fill[cut[i]]
        # What django.utils.html.escape gives, without its lazy-text wrapper (34,000 e-mails).
        pieces.append(html.escape(str(text)) if cut[i + 1] == "&amp;" else text)
        pieces.append(cut[i + 2])
    return "".join(pieces)


def _left_over(rendered: str) -> bool:
    """Whether a half of a mark is left once the whole marks are taken out."""
    rest = _MARK.sub("", rendered)
    return "\ue000" in rest or "\ue001" in rest
