"""The e-mail catalogue (approvals.emails): every e-mail has its three templates, every template
is an e-mail of the catalogue, and no other module names a template."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import get_template

from approvals import emails

ROOT = Path(settings.BASE_DIR)
EMAIL_TEMPLATES = ROOT / "templates" / "emails"
PARTS = ("-subject.txt", "-body.txt", "-body.html")


@pytest.mark.parametrize("name", emails.ALL)
def test_every_email_has_a_subject_a_text_and_an_html_body(name):
    for part in PARTS:
        get_template(f"emails/{name}{part}")  # raises TemplateDoesNotExist


def test_every_email_template_belongs_to_an_email_of_the_catalogue():
    names = set()
    for path in EMAIL_TEMPLATES.iterdir():
        if path.name.startswith("_"):  # shared pieces: footer, button, summary
            continue
        for part in PARTS:
            if path.name.endswith(part):
                names.add(path.name.removesuffix(part))
    assert names == set(emails.ALL)


def test_the_reminder_jobs_send_only_catalogued_emails():
    assert emails.reminder_template("evaluation-due") == "reminder-evaluation-due"
    with pytest.raises(ValueError, match="No reminder e-mail"):
        emails.reminder_template("no-such-job")


def _string_constants(path: Path) -> set[str]:
    return {
        node.value
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }


def test_no_module_but_the_catalogue_names_an_email():
    catalogue = ROOT / "approvals" / "emails.py"
    offenders = []
    for app in ("core", "channels", "approvals", "umusocial"):
        for path in (ROOT / app).rglob("*.py"):
            if path == catalogue or {"tests", "testing", "migrations"} & set(path.parts):
                continue
            named = _string_constants(path) & set(emails.ALL)
            offenders += [f"{path.relative_to(ROOT)}: {name}" for name in sorted(named)]
    assert offenders == []
