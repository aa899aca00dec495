from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from .images import ImageRejected, image_reencode
from .models import ContactRequest, UseCaseImage


def _length(name: str) -> int:
    # The column's length is the form's limit: a longer value is an error for the visitor, not a crash.
    return ContactRequest._meta.get_field(name).max_length


class ContactRequestForm(forms.Form):
    name = forms.CharField(label=_("Votre nom"), max_length=_length("name"))
    email = forms.EmailField(label=_("Votre e-mail"), max_length=_length("email"))
    organisation = forms.CharField(label=_("Votre entreprise ou organisation"), max_length=_length("organisation"))
    # A callable: the names are read in the visitor's language, not once at import.
    country = forms.ChoiceField(label=_("Pays"), choices=lambda: [("", "—"), *countries], required=False)
    message = forms.CharField(label=_("Votre projet en quelques lignes"), widget=forms.Textarea(attrs={"rows": 4}),
                              max_length=3000)
    # Honeypot: hidden from people by CSS and aria-hidden; robots that fill every field give themselves away.
    website = forms.CharField(label=_("Ne pas remplir ce champ"), required=False)

    def is_spam(self) -> bool:
        return bool(self.data.get("website"))


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
