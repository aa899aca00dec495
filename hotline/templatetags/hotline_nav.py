"""The hotline's tab bar, with the counts its tabs show: drawn by each hotline page, none of which passes them."""

from django import template

from hotline import selectors

register = template.Library()


@register.inclusion_tag("hotline/_nav.html", takes_context=True)
def hotline_nav(context) -> dict:
    request = context["request"]
    return {
        "request": request,
        "queue_count": selectors.callback_queue().count(),
        "mine_count": selectors.follow_ups_for(owner=request.user).count(),
        "overdue_count": selectors.overdue_follow_ups().count(),
    }
