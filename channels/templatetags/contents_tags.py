"""An in-page table of contents: `{% with_contents label %}...{% end_with_contents %}` renders
what it wraps and, before it, a navigation to each of its sections' headings (every `<h2>` with
an `id`). Read from the rendered HTML, so a section a workflow adds through channels.hooks, or
one that shows nothing on this channel, is listed exactly when it is on the page."""

from __future__ import annotations

from html.parser import HTMLParser

from django import template
from django.template.loader import render_to_string

register = template.Library()


class _Headings(HTMLParser):
    """Collects (id, text) of every h2 that has an id, ignoring visually hidden text."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[tuple[str, str]] = []
        self._current: tuple[str, list[str]] | None = None
        self._hidden_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "h2" and values.get("id"):
            self._current = (values["id"] or "", [])
        elif self._current is not None and tag == "span":
            hidden = "visually-hidden" in (values.get("class") or "").split()
            if hidden or self._hidden_depth:
                self._hidden_depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "span" and self._hidden_depth:
            self._hidden_depth -= 1
        elif tag == "h2" and self._current is not None:
            heading_id, parts = self._current
            self.headings.append((heading_id, " ".join("".join(parts).split())))
            self._current = None

    def handle_data(self, data: str) -> None:
        if self._current is not None and not self._hidden_depth:
            self._current[1].append(data)


def headings(html: str) -> list[tuple[str, str]]:
    parser = _Headings()
    parser.feed(html)
    return parser.headings


class WithContentsNode(template.Node):
    def __init__(self, nodelist: template.NodeList, label: template.base.FilterExpression):
        self.nodelist = nodelist
        self.label = label

    def render(self, context: template.Context) -> str:
        html = self.nodelist.render(context)
        return render_to_string(
            "channels/_with_contents.html",
            {"label": self.label.resolve(context), "headings": headings(html), "html": html},
        )


@register.tag
def with_contents(parser: template.base.Parser, token: template.base.Token) -> WithContentsNode:
    """{% with_contents "label of the navigation" %} sections {% end_with_contents %}"""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError(f"{bits[0]} takes the navigation's label")
    nodelist = parser.parse(("end_with_contents",))
    parser.delete_first_token()
    return WithContentsNode(nodelist, parser.compile_filter(bits[1]))
