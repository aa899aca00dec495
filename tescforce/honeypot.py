"""The one honeypot of the public forms: a field hidden from people that naive robots fill in.

A form that mixes in `HoneypotMixin` gets the field (last, after the fields people fill in) and
`is_spam()`; its view answers a robot exactly as it answers a person, and does nothing. Templates that
lay fields out by hand hide it with the `hp-field` or `visually-hidden` class and `aria-hidden`.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

# Robots fill a "website" box readily. No public form has a real field of that name; the staff forms
# that do (companies, prospects) have no honeypot.
HONEYPOT_FIELD = "website"


class HoneypotMixin(forms.Form):
    website = forms.CharField(label=_("Ne pas remplir"), required=False,
                              widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[HONEYPOT_FIELD] = self.fields.pop(HONEYPOT_FIELD)

    def is_spam(self) -> bool:
        """Return True when the hidden field came back filled in: read before validation, so a robot
        that also breaks the other fields is still recognised."""
        return bool(self.data.get(self.add_prefix(HONEYPOT_FIELD)))
