from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.fr import siret as siret_number

from tescforce.honeypot import HoneypotMixin

from .models import Company, JobPosting
from .services import transition_allowed

MAX_LOGO_SIZE = 2 * 1024 * 1024


class InterestForm(HoneypotMixin, forms.Form):
    """"I'm interested": just the e-mail; the rest happens through the e-mailed link or registration."""

    email = forms.EmailField(label=_("Votre adresse e-mail"), max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))


class CompanyAdminForm(forms.ModelForm):
    siret = forms.CharField(label=_("SIRET"), max_length=20, required=False,
                            help_text=_("14 chiffres ; les espaces sont acceptés."))
    website = forms.URLField(label=_("site web"), required=False, assume_scheme="https",
                              max_length=Company._meta.get_field("website").max_length)

    class Meta:
        model = Company
        # The admin's fieldsets decide the fields shown (translated ones included).
        fields = ("name", "slug", "siret", "kind", "size", "website", "logo", "city", "postcode", "description",
                  "is_member", "member_since")

    def clean_siret(self):
        value = self.cleaned_data.get("siret") or ""
        value = siret_number.compact(value)
        return value or None

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and getattr(logo, "size", 0) > MAX_LOGO_SIZE:
            raise forms.ValidationError(_("Le logo dépasse 2 Mo."))
        return logo


class JobPostingAdminForm(forms.ModelForm):
    class Meta:
        model = JobPosting
        fields = ("company", "title", "title_en", "job_family", "status", "description", "description_en", "contract",
                  "level", "openings", "start_date", "city", "postcode", "remote", "skills_required", "skills_nice",
                  "salary_min", "salary_max", "open_to_retraining", "closes_on")

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status")
        current = self.instance.status if self.instance.pk else JobPosting.Status.DRAFT
        if status and not transition_allowed(from_status=current, to_status=status):
            self.add_error("status", _("Une offre « %(from)s » ne peut pas passer à « %(to)s ».") % {
                "from": JobPosting.Status(current).label, "to": JobPosting.Status(status).label})
        closes_on = cleaned.get("closes_on")
        # Publishing now dates the posting today; an already published one is checked by the model's clean().
        if (closes_on and status == JobPosting.Status.PUBLISHED and self.instance.published_at is None
                and closes_on < timezone.localdate()):
            self.add_error("closes_on", _("La date de clôture ne peut pas précéder la date de publication."))
        return cleaned
