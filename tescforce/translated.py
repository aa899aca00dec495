"""Texts kept in French and, when someone wrote it, in English: which one a visitor sees.

Two shapes exist. Showroom use cases and company descriptions are translated with modeltranslation
(`title_fr`, `title_en`; `obj.title` already falls back to French). Job postings, sessions and job
families keep their French field as the reference that search, slugs and staff tools use, plus an
optional `<field>_en` filled in the admin. `shown()` reads both the same way, and tells when the text
shown is the French one on an English page, so that the page can mark it (`lang="fr"` for screen
readers and a visible "in French").
"""

from dataclasses import dataclass

from django import forms
from django.db.models import F, Value, fields
from django.db.models.functions import Coalesce, NullIf
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, gettext_lazy

from .text import Fold

FIRST_LANGUAGE = "fr"


def active_language() -> str:
    return (get_language() or FIRST_LANGUAGE).split("-")[0]


@dataclass(frozen=True)
class Shown:
    """A text as shown to the visitor; `in_french` when it stands in for a missing English one."""

    text: str
    in_french: bool = False

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text)

    @property
    def lang(self) -> SafeString:
        """` lang="fr"` for an element holding the French stand-in, else nothing."""
        return mark_safe(' lang="fr"') if self.in_french else mark_safe("")  # noqa: S308  constant text


def _french(obj, field: str) -> str:
    translated = getattr(obj, f"{field}_{FIRST_LANGUAGE}", None)
    return translated if translated is not None else (getattr(obj, field, "") or "")


def shown(obj, field: str, language: str | None = None) -> Shown:
    """Return `obj`'s `field` in `language` (the active one by default), or its French text, marked."""
    language = (language or active_language()).split("-")[0]
    french = _french(obj, field) or ""
    if language == FIRST_LANGUAGE:
        return Shown(french)
    other = getattr(obj, f"{field}_{language}", None)
    if other and str(other).strip():
        return Shown(other)
    return Shown(french, in_french=bool(french))


def text(obj, field: str, language: str | None = None) -> str:
    """Return the text `shown()` picks, without the mark (lists, e-mail subjects, choices)."""
    return shown(obj, field, language).text


def sort_key(field: str, language: str | None = None):
    """An SQL ordering by the text shown in `language`, accents in place ("Énergie" among the E)."""
    language = (language or active_language()).split("-")[0]
    if language == FIRST_LANGUAGE:
        return Fold(F(field))
    return Fold(Coalesce(NullIf(F(f"{field}_{language}"), Value("")), F(field)))


def mark(value: Shown) -> SafeString:
    """The visible "in French" badge after a French stand-in, in the visitor's language."""
    if not isinstance(value, Shown) or not value.in_french:
        return mark_safe("")  # noqa: S308  empty
    return format_html('<span class="badge rounded-pill text-bg-light border fw-normal in-french">{}</span>',
                       gettext("en français"))


def word_blank_choices() -> None:
    """Replace Django's "---------" with words, in the visitor's language, wherever a choice may be empty.

    Django spells the empty choice in two places: the list `BLANK_CHOICE_DASH` (a model field's choices,
    the admin's action menu), which every module shares and is changed here in place, and the default of
    `ModelChoiceField(empty_label=...)` (a foreign key's select). Forms that say more ("Toutes les villes")
    keep their own words.
    """
    fields.BLANK_CHOICE_DASH[:] = [("", gettext_lazy("Choisir…"))]
    forms.ModelChoiceField.__init__.__kwdefaults__["empty_label"] = gettext_lazy("Choisir…")
