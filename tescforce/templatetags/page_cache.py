from django import template

from tescforce import page_cache

register = template.Library()


@register.simple_tag
def page_version(name: str) -> str:
    """The version to put in a {% cache %} key for this page group (see tescforce/page_cache.py)."""
    return page_cache.version(name)
