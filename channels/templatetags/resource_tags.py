"""Komm's resources for one place of the portal (channels.resources), in the page's language."""

from __future__ import annotations

from django import template

from channels.resources.models import KommResource

register = template.Library()


@register.inclusion_tag("channels/_komm_resources.html")
def komm_resources(place: str) -> dict:
    """The links and contacts Komm keeps for `place` (one query)."""
    return {"resources": list(KommResource.objects.filter(place=place))}
