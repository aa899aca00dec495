"""`{% load translated_text %}` then `{% translated posting "title" as title %}`: the text in the visitor's
language, or the French one standing in for it. Write `<h1{{ title.lang }}>{{ title }} {{ title|in_french }}</h1>`:
`lang="fr"` tells screen readers, the badge tells everyone (tescforce/translated.py).
"""

from django import template
from django.utils.html import format_html

from tescforce import translated as translated_texts

register = template.Library()


@register.simple_tag
def translated(obj, field):
    """Return `obj`'s `field` as shown to the visitor (a `Shown`)."""
    return translated_texts.shown(obj, field)


@register.filter
def in_french(value):
    """The visible "in French" badge when `value` stands in for a missing English text."""
    return translated_texts.mark(value)


@register.filter
def in_language(obj, field):
    """Just the text (e-mail lines, lists where a badge would be noise)."""
    return translated_texts.text(obj, field)


@register.filter
def tr(obj, field):
    """`obj`'s `field` for the visitor, wrapped in `<span lang="fr">` when it is the French stand-in."""
    value = translated_texts.shown(obj, field)
    return format_html('<span lang="fr">{}</span>', value.text) if value.in_french else value.text


@register.filter
def tr_mark(obj, field):
    """The "in French" badge for `obj`'s `field`, or nothing (put it after a link, not inside)."""
    return translated_texts.mark(translated_texts.shown(obj, field))
