"""The site's frame as the eye meets it: a focus ring that can be seen on every background
(WCAG 1.4.11, 3:1 against what surrounds it), and no page wider than a 320 px window, with a
long channel name that must wrap between words and a queue whose table scrolls in its own box."""

from __future__ import annotations

from typing import cast

import pytest
from django.urls import reverse

from approvals.signoff.services import channel_submit, signoff_approve
from channels.models import Channel
from channels.services import channel_sync_permissions
from channels.testing.factories import ChannelFactory
from umusocial.testing.browser import assert_no_sideways_scroll, log_in_as

pytestmark = pytest.mark.browser

# The focused element's outline colour, and the colour it is drawn against: the nearest
# ancestor's background that is not transparent (the outline sits outside the element).
FOCUS_COLOURS = """el => {
  const style = getComputedStyle(el);
  let around = el.parentElement;
  while (around && getComputedStyle(around).backgroundColor.match(/rgba\\(.*, 0\\)$|transparent/)) {
    around = around.parentElement;
  }
  return {
    visible: el.matches(':focus-visible') || el.matches(':focus'),
    style: style.outlineStyle,
    width: parseFloat(style.outlineWidth),
    outline: style.outlineColor,
    background: around ? getComputedStyle(around).backgroundColor : 'rgb(255, 255, 255)',
  };
}"""


def luminance(css: str) -> float:
    red, green, blue = (int(part) / 255 for part in css[css.index("(") + 1 : -1].split(",")[:3])
    linear = [
        c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (red, green, blue)
    ]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, other: str) -> float:
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def awaiting_komm(owner, **kwargs) -> Channel:
    channel = cast(Channel, ChannelFactory(created_by=owner, **kwargs))
    channel_sync_permissions(channel=channel)
    channel_submit(channel=channel, submitted_by=owner)
    signoff_approve(signoff=channel.signoffs.get())
    return channel


def test_focus_is_seen_on_every_background(live_server, page, owner, komm):
    awaiting_komm(owner)
    log_in_as(page, live_server, "karin")
    page.goto(live_server.url + reverse("approvals:queue"))
    targets = {
        "the brand link in the blue header": page.locator(".site-header .navbar-brand"),
        "a menu link in the header": page.locator(".site-header .nav-link").first,
        "log out, a light button on the blue": page.locator(".site-header form [type=submit]").last,
        "the footer's link": page.locator(".site-footer a"),
        "the selected queue tab": page.locator(".queue-states .nav-link.active"),
        "a queue tab": page.locator(".queue-states .nav-link:not(.active)").first,
        "a text field": page.locator("main input[name=q]"),
    }
    for what, locator in targets.items():
        page.keyboard.press("Escape")
        locator.focus()
        seen = locator.evaluate(FOCUS_COLOURS)
        assert seen["visible"], what
        assert seen["style"] == "solid" and seen["width"] >= 2, f"{what}: {seen}"
        ratio = contrast(seen["outline"], seen["background"])
        assert ratio >= 3, f"{what}: the focus outline has {ratio:.1f}:1 against its background"


def test_komm_queue_reflows_at_320_px_and_names_wrap_between_words(live_server, page, owner, komm):
    channel = awaiting_komm(owner, name="Språkstudier vid Umeå universitet för internationella")
    log_in_as(page, live_server, "karin")
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(live_server.url + reverse("approvals:queue"))
    assert_no_sideways_scroll(page)

    name = page.locator("table.komm-queue tbody a", has_text="Språkstudier")
    lines = name.evaluate(
        """el => { const range = document.createRange(); range.selectNodeContents(el);
                   return [...range.getClientRects()].map(r => Math.round(r.top)); }"""
    )
    words = len(channel.name.split())
    assert 1 < len(set(lines)) <= words, "the name wraps, and only between words"
    page.set_viewport_size({"width": 640, "height": 640})  # 200 % zoom of a 1280 px window
    assert_no_sideways_scroll(page)
    # Komm's menu is the longest: at a desktop width it wraps rather than widening the page.
    for width in (768, 1024, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        assert_no_sideways_scroll(page)
