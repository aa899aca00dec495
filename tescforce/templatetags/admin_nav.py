"""The admin sidebar's list of models, drawn by Django's own template and kept by `tescforce.admin_site`."""

from urllib.parse import quote

from django import template
from django.utils.safestring import mark_safe

from tescforce.admin_site import sidebar_html

register = template.Library()


@register.simple_tag(takes_context=True)
def nav_app_list(context):
    request, app_list = context["request"], context.get("available_apps") or []
    # The rows Django's template marks as current: those whose address is in the page's (its `in` test).
    path = quote(request.path, safe="/")
    current = tuple(url for app in app_list for url in (app["app_url"], *(m.get("admin_url") for m in app["models"]))
                    if url and url in path)

    def render() -> str:
        with context.push(app_list=app_list, show_changelinks=False):
            return context.template.engine.get_template("admin/app_list.html").render(context)

    return mark_safe(sidebar_html(request, app_list, current, render))  # noqa: S308 - a template's output
