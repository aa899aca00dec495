from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from tescforce.honeypot import HoneypotMixin

from .images import ImageRejected, image_reencode
from .models import ContactRequest, UseCaseImage


def _length(name: str) -> int:
    # The column's length is the form's limit: a longer value is an error for the visitor, not a crash.
    return ContactRequest._meta.get_field(name).max_length


class ContactRequestForm(HoneypotMixin, forms.Form):
    name = forms.CharField(label=_("Votre nom"), max_length=_length("name"))
    email = forms.EmailField(label=_("Votre e-mail"), max_length=_length("email"))
    organisation = forms.CharField(label=_("Votre entreprise ou organisation"), max_length=_length("organisation"))
    # A callable: the names are read in the visitor's language, not once at import.
    country = forms.ChoiceField(label=_("Pays"), choices=lambda: [("", "—"), *countries], required=False)
    message = forms.CharField(label=_("Votre projet en quelques lignes"), widget=forms.Textarea(attrs={"rows": 4}),
                              max_length=3000)


class UseCaseImageForm(forms.ModelForm):
    """Admin form for images: the upload is re-encoded before it is stored."""

    class Meta:
        model = UseCaseImage
        fields = ["use_case", "image", "alt_text", "position"]

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if isinstance(image, UploadedFile):
            try:
                return image_reencode(image)
            except ImageRejected as exc:
                raise forms.ValidationError(str(exc)) from exc
        return image
