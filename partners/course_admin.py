"""Coordinators' admin of the courses: any organisation's, published or not."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from companies.models import Partner
from tescforce.admin_mixins import ScopedModelAdmin

from . import courses
from .course_forms import FundingMixin, link_field
from .models import Course


class CourseAdminForm(FundingMixin):
    link = link_field()

    class Meta:
        model = Course
        fields = ["partner", "title", "summary", "skills", "city", "online", "starts_on", "ends_on", "link",
                  "is_published", "title_en", "summary_en"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "partner" in self.fields:
            self.fields["partner"].queryset = Partner.objects.filter(kind__in=courses.TEACHING_KINDS)
            self.fields["partner"].help_text = _("Un organisme de formation ou une école de l'annuaire des "
                                                 "partenaires.")
        if "skills" in self.fields:
            self.fields["skills"].error_messages["required"] = _("Cochez au moins une compétence enseignée.")


@admin.register(Course)
class CourseAdmin(ScopedModelAdmin):
    form = CourseAdminForm
    list_display = ("title", "partner", "city", "online", "starts_on", "ends_on", "is_published")
    list_filter = ("is_published", "online", "partner")
    search_fields = ("title", "title_en", "partner__name", "city")
    list_select_related = ("partner",)
    autocomplete_fields = ("skills",)
    date_hierarchy = "starts_on"
    fieldsets = (
        (None, {"fields": ("partner", "title", "summary", "skills")}),
        (_("Où et quand"), {"fields": ("city", "online", "starts_on", "ends_on")}),
        (_("Financement et inscription"), {"fields": ("fundings", "link", "is_published")}),
        (_("En anglais (facultatif)"), {"fields": ("title_en", "summary_en")}),
    )

    def save_model(self, request, obj, form, change):
        # The same rule as the partner space and the API: only training bodies and schools publish courses.
        courses.course_check_partner(obj.partner)
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
