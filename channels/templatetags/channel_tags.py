"""Template helpers for the channel pages: the registration as labelled sections."""

from __future__ import annotations

from datetime import date

from django import template
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from channels import audit, hooks
from channels.models import Channel
from channels.wizard.spec import WIZARD_STEPS

register = template.Library()

# The fields each wizard step shows on the review and detail pages, in order, from the wizard's
# spec. People are rendered from the responsible person and the deputyships rather than from
# fields; a bookkeeping field (the head of department's approval date) only once it is set.
SECTION_FIELDS = {step.slug: step.shown_fields for step in WIZARD_STEPS if step.fields}
_BOOKKEEPING = {f.name for step in WIZARD_STEPS for f in step.fields if f.bookkeeping}
_WHEN_SET = _BOOKKEEPING | {
    f.name for step in WIZARD_STEPS for f in step.fields if f.shown_when_set
}


def _value(channel: Channel, name: str) -> str:
    field = channel._meta.get_field(name)
    value = getattr(channel, name)
    if getattr(field, "choices", None):
        return str(getattr(channel, f"get_{name}_display")()) if value else ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, date):
        return date_format(value, "DATE_FORMAT")
    return "" if value is None else str(value)


def _person(user, phone: str) -> str:
    if user is None:
        return ""
    name = user.display_name
    parts = [name, user.email, phone]
    return ", ".join(p for p in parts if p)


@register.simple_tag
def audit_rows(entries) -> list[dict]:
    """The trail worded in the reader's language: [{"entry", "what", "text", "changes"}]."""
    return [
        {
            "entry": entry,
            "what": audit.action_label(entry.action),
            "text": audit.entry_text(entry),
            "changes": audit.change_rows(entry),
        }
        for entry in entries
    ]


@register.simple_tag
def slot_templates(slot: str) -> list[str]:
    """The templates workflow apps put in a slot of this page (channels.hooks):
    `{% slot_templates "channel_sections" as sections %}{% for t in sections %}{% include t %}`."""
    return hooks.templates(slot)


@register.simple_tag
def registration_sections(channel: Channel) -> list[dict]:
    """[{"slug", "title", "rows": [{"label", "value", "is_url"}]}] for _registration.html."""
    sections = []
    for step in WIZARD_STEPS:
        if step.slug not in SECTION_FIELDS:
            continue
        rows: list[dict] = []
        if step.slug == "people":
            rows.append(
                {
                    "label": _("Responsible person"),
                    "value": _person(channel.responsible, channel.responsible_phone),
                }
            )
            deputies = [
                _person(d.user, d.phone) for d in channel.deputyships.select_related("user")
            ]
            rows.append({"label": _("Deputies"), "value": "\n".join(deputies)})
        for name in SECTION_FIELDS[step.slug]:
            if name in _WHEN_SET and not getattr(channel, name):
                continue
            rows.append(
                {
                    "label": Channel.label_of(name).capitalize(),
                    "value": _value(channel, name),
                    "is_url": name == "address",
                }
            )
        sections.append({"slug": step.slug, "title": step.title, "rows": rows})
    return sections
