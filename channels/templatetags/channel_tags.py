"""Template helpers for the channel pages: the registration as labelled sections."""

from __future__ import annotations

from datetime import date

from django import template
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from channels import audit, hooks
from channels.models import Channel

register = template.Library()

# The fields each wizard step shows on the review and detail pages, in order. People are
# rendered from the responsible person and the deputyships rather than from fields.
SECTION_FIELDS = {
    "platform": ["name", "platform", "address", "address_is_planned", "language"],
    "purpose": ["purpose", "audience_primary", "audience_secondary"],
    "organisation": [
        "sender",
        "sender_unit",
        "responsible_unit",
        "operations_area",
        "prefect_name",
        "prefect_title",
        "prefect_email",
        "prefect_approved_on",
    ],
    "people": ["resources", "update_frequency"],
    "routines": [
        "monitoring_who",
        "monitoring_frequency",
        "response_time_hours",
        "archiving_routine",
        "culling_routine",
    ],
    "policy": ["policy_text", "policy_location", "graphic_profile_confirmed"],
    "evaluation": [
        "evaluation_method",
        "evaluation_interval_months",
        "evaluation_first_date",
        "handover_routine",
    ],
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
    from channels.wizard.forms import STEPS

    sections = []
    for step in STEPS:
        if step.slug not in SECTION_FIELDS:
            continue
        rows = []
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
            if name == "prefect_approved_on" and not channel.prefect_approved_on:
                continue
            rows.append(
                {
                    "label": str(channel._meta.get_field(name).verbose_name).capitalize(),
                    "value": _value(channel, name),
                    "is_url": name == "address",
                }
            )
        sections.append({"slug": step.slug, "title": step.title, "rows": rows})
    return sections
