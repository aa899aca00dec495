"""The admin change page's link to an object's audit trail, for coordinators."""

from django import template
from django.urls import reverse

from tescforce.permissions import is_coordinator

register = template.Library()


@register.simple_tag(takes_context=True)
def audit_trail_url(context, obj) -> str:
    """Return the URL of `obj`'s change log in the admin, or "" when the user may not read it."""
    request = context.get("request")
    history = getattr(type(obj), "history", None)
    if request is None or history is None or not is_coordinator(request.user):
        return ""
    meta = history.model._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist") + f"?id={obj.pk}"
