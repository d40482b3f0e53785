"""core.templatetags.pages: a page's address keeps the other parameters and names its own."""

from __future__ import annotations

from django.template import Context, Template
from django.test import RequestFactory


def render(path: str, text: str) -> str:
    request = RequestFactory().get(path)
    return Template("{% load pages %}" + text).render(Context({"request": request}))


def test_a_page_link_keeps_the_filters_and_sets_its_own_parameter():
    assert render("/komm/?q=fysik&page=3", "{% page_url 4 %}") == "?q=fysik&amp;page=4"
    assert (
        render("/komm/?page=3", '{% page_url 2 "flagged" %}') == "?page=3&amp;flagged=2"
    )  # another list's page is left as it is
