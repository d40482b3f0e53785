from django.template import Context, Template

from channels.templatetags.contents_tags import headings


def test_headings_lists_each_h2_with_an_id_without_hidden_text():
    html = (
        '<h2 id="a">Registration</h2><h3 id="x">Not a section</h3><h2>No id</h2>'
        '<h2 class="h5" id="b">Handover <span class="visually-hidden">of “X”</span>'
        " of responsibility</h2>"
    )
    assert headings(html) == [("a", "Registration"), ("b", "Handover of responsibility")]


def test_with_contents_puts_a_labelled_navigation_before_the_sections():
    rendered = Template(
        '{% load contents_tags %}{% with_contents "On this page" %}'
        '<section><h2 id="one">One &amp; two</h2></section>{% end_with_contents %}'
    ).render(Context())
    assert rendered.index('<nav class="page-contents" aria-label="On this page">') < rendered.index(
        '<h2 id="one">'
    )
    assert '<a href="#one">One &amp; two</a>' in rendered


def test_with_contents_leaves_out_an_empty_navigation():
    rendered = Template(
        '{% load contents_tags %}{% with_contents "On this page" %}'
        "<p>Text</p>{% end_with_contents %}"
    ).render(Context())
    assert "<nav" not in rendered and "<p>Text</p>" in rendered
