"""The scorecard form of the interview sheet: the whole card from a plain POST, or some fields from an autosave."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Scorecard

TEXT_MAX = 2000


class ScorecardForm(forms.Form):
    rating = forms.TypedChoiceField(label=_("Appréciation"), choices=Scorecard.Rating.choices, coerce=int,
                                    empty_value=None, required=False, widget=forms.RadioSelect)
    strengths = forms.CharField(label=_("Points forts"), required=False, max_length=TEXT_MAX,
                                widget=forms.Textarea(attrs={"rows": 3}))
    next_step = forms.ChoiceField(label=_("Suite"), required=False, widget=forms.RadioSelect,
                                  choices=[("", _("À décider")), *Scorecard.NextStep.choices])
    note = forms.CharField(label=_("Note"), required=False, max_length=TEXT_MAX,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, only=None, **kwargs):
        """`only`: the fields an autosave sends; the others are not part of the form (and stay as they are)."""
        super().__init__(*args, **kwargs)
        if only is not None:
            for name in set(self.fields) - set(only):
                del self.fields[name]
        for name, field in self.fields.items():
            # The page's autosave finds each field by its name without the form's prefix.
            field.widget.attrs["data-field"] = name
            field.widget.attrs["class"] = "btn-check" if isinstance(field.widget, forms.RadioSelect) else "form-control"

    @classmethod
    def initial_from(cls, card: Scorecard | None) -> dict:
        if card is None:
            return {}
        return {"rating": card.rating, "strengths": card.strengths, "next_step": card.next_step, "note": card.note}
