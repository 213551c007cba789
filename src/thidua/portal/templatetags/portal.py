from django import template
from django.template.context import Context

register = template.Library()


@register.simple_tag(takes_context=True)
def absolute(context: Context, path: str) -> str:
    """An absolute address for Open Graph tags and feeds ("https://host/path")."""
    request = context.get("request")
    return request.build_absolute_uri(path) if request is not None else path
