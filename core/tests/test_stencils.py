"""core.stencils with core.mail's Outbox: an e-mail rendered once and filled in per recipient is
exactly the e-mail rendered in full; when a template reads more than its stencil holds, or
alters a mark, the e-mail is rendered in full instead; the outbox writes with one INSERT and
sends each e-mail once the transaction commits."""

from __future__ import annotations

import copy

import pytest

from core.mail import Outbox, queue_email
from core.models import OutgoingEmail
from core.stencils import Stand, Stencil, fill_in, mark

TEMPLATES = {
    "plain": ("{{ who.name }}", "Hi {{ who.name }}: {{ n }}", "<p>{{ who.name }} {{ n }}</p>"),
    # Reads an attribute the stand-in lacks.
    "greedy": ("{{ who.name }}", "{{ who.name }} {{ who.phone }}", "<p>{{ who.name }}</p>"),
    # Alters the mark with a filter.
    "shouting": ("{{ who.name|upper }}", "{{ who.name }}", "<p>{{ who.name|truncatechars:3 }}</p>"),
}


@pytest.fixture
def stencil_templates(tmp_path, settings):
    folder = tmp_path / "emails"
    folder.mkdir()
    for name, (subject, text, html) in TEMPLATES.items():
        (folder / f"{name}-subject.txt").write_text(subject)
        (folder / f"{name}-body.txt").write_text(text)
        (folder / f"{name}-body.html").write_text(html)
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [tmp_path, *templates[0]["DIRS"]]
    settings.TEMPLATES = templates


class Person:
    def __init__(self, name, phone=""):
        self.name, self.phone = name, phone


def both_ways(template: str, name: str, outbox: Outbox) -> tuple[OutgoingEmail, OutgoingEmail]:
    full = queue_email(template=template, to=["a@umu.se"], context={"who": Person(name), "n": 3})
    stencil = Stencil(
        shape=(3,), context={"who": Stand(name=mark("name")), "n": 3}, fill={"name": name}
    )
    quick = queue_email(
        template=template,
        to=["a@umu.se"],
        context={"who": Person(name), "n": 3},
        stencil=stencil,
        outbox=outbox,
    )
    assert full is not None and quick is not None
    return full, quick


def same(a: OutgoingEmail, b: OutgoingEmail) -> bool:
    return (a.subject, a.body_text, a.body_html) == (b.subject, b.body_text, b.body_html)


@pytest.mark.parametrize("name", ["Anna", '<b>"Tom" & Jerry\'s</b>', mark("n"), ""])
def test_a_stencil_fills_in_what_rendering_in_full_gives(db, stencil_templates, name):
    full, quick = both_ways("plain", name, Outbox())
    assert same(full, quick)


@pytest.mark.parametrize("template", ["greedy", "shouting"])
def test_what_a_stencil_cannot_hold_is_rendered_in_full(db, stencil_templates, template):
    outbox = Outbox()
    full, quick = both_ways(template, "Anna Andersson", outbox)
    assert same(full, quick)
    assert list(outbox.stencils._rendered.values()) == [None]


def test_a_shape_is_rendered_once(db, stencil_templates):
    outbox = Outbox()
    for name in ["Anna", "Bo", "Cecilia"]:
        both_ways("plain", name, outbox)
    assert len(outbox.stencils._rendered) == 1
    assert [row.body_text for row in outbox.rows] == ["Hi Anna: 3", "Hi Bo: 3", "Hi Cecilia: 3"]


def test_a_value_is_never_filled_in_twice():
    assert fill_in(f"{mark('a')} {mark('b')}", {"a": mark("b"), "b": "B"}) == f"{mark('b')} B"


def test_the_outbox_writes_its_rows_at_once_and_sends_them_on_commit(
    db, stencil_templates, django_capture_on_commit_callbacks, monkeypatch
):
    from core.tasks import send_emails

    batches = []
    monkeypatch.setattr(send_emails, "delay", batches.append)
    outbox = Outbox()
    with django_capture_on_commit_callbacks(execute=True):
        for name in ["Anna", "Bo"]:
            both_ways("plain", name, outbox)
        assert OutgoingEmail.objects.count() == 2  # the two rendered in full
        assert outbox.write() == 2
        assert batches == []  # not before the commit
    assert OutgoingEmail.objects.count() == 4
    written = list(OutgoingEmail.objects.order_by("pk").values_list("pk", flat=True))[-2:]
    assert batches == [written]  # one task for both
