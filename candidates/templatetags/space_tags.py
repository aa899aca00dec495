"""The header's view of Mon espace: who is signed in, so that the page offers their space and a way out."""

from django import template

from candidates.space import get_space_candidate

register = template.Library()


@register.simple_tag(takes_context=True)
def space_candidate(context):
    """Return the candidate signed in to Mon espace on this request, or None (read once per request)."""
    request = context.get("request")
    if request is None or not hasattr(request, "session"):
        return None
    if not hasattr(request, "_space_candidate"):
        request._space_candidate = get_space_candidate(request)
    return request._space_candidate
