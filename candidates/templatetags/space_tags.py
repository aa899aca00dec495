"""The header's view of Mon espace: who is signed in, so that the page offers their space and a way out;
and, on a posting page, whether they have shown interest already (one-click interest)."""

from django import template

from candidates.models import JobInterest
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


@register.simple_tag
def space_interest_in(candidate, slug):
    """Return the candidate's confirmed interest in the posting of `slug`, or None (no query without a candidate)."""
    if candidate is None:
        return None
    return JobInterest.objects.filter(candidate=candidate, posting__slug=slug, confirmed_at__isnull=False).first()
