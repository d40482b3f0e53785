"""`{% page_url number param %}`: the address of a page of a list, the other query parameters
(filters, search, another list's page) kept. Django's `{% querystring %}` names its parameter in
the template; a page with two paginated lists needs it as a value (templates/_pagination.html)."""

from __future__ import annotations

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_url(context, number: int, param: str = "page") -> str:
    params = context["request"].GET.copy()
    params[param] = number
    return f"?{params.urlencode()}"
