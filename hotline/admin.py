"""Admin of the hotline's calls, call-back requests and relocation requests.

Only hotline agents and coordinators see them: recruiters and prospecting officers get nothing,
whatever permissions a group may be given later.
"""

from django import forms
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from candidates.admin_search import PersonSearchMixin
from tescforce.admin_mixins import ScopedModelAdmin
from tescforce.permissions import can_see_hotline

from . import services
from .forms import CNIL_REMINDER, hotline_staff
from .models import CallbackRequest, HotlineCall, RelocationRequest


class HotlineOnlyAdmin(ScopedModelAdmin):
    staff_fields = ()

    def has_module_permission(self, request):
        return can_see_hotline(request.user) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return can_see_hotline(request.user) and super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return can_see_hotline(request.user) and super().has_change_permission(request, obj)

    def has_add_permission(self, request):
        return can_see_hotline(request.user) and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return can_see_hotline(request.user) and super().has_delete_permission(request, obj)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs if can_see_hotline(request.user) else qs.none()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.staff_fields:
            kwargs["queryset"] = hotline_staff()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class HotlineCallAdminForm(forms.ModelForm):
    class Meta:
        model = HotlineCall
        fields = ("candidate", "caller_name", "caller_contact", "direction", "channel", "topic", "summary",
                  "follow_up_due", "follow_up_owner")
        help_texts = {"summary": CNIL_REMINDER}

    def clean_follow_up_due(self):
        due = self.cleaned_data.get("follow_up_due")
        if due and "follow_up_due" in self.changed_data and due < timezone.localdate():
            raise forms.ValidationError(_("La date de relance ne peut pas être dans le passé."))
        return due


@admin.register(HotlineCall)
class HotlineCallAdmin(PersonSearchMixin, HotlineOnlyAdmin):
    form = HotlineCallAdminForm
    staff_fields = ("follow_up_owner",)
    list_display = ("created_at", "who", "topic", "direction", "channel", "follow_up_due", "follow_up_owner",
                    "follow_up_done")
    list_filter = ("topic", "direction", "channel", ("follow_up_owner", admin.RelatedOnlyFieldListFilter))
    search_fields = ("candidate__last_name", "candidate__first_name", "candidate__email", "caller_name",
                     "caller_contact")
    date_hierarchy = "created_at"
    raw_id_fields = ("candidate",)
    readonly_fields = ("logged_by", "created_at", "follow_up_done_at")
    list_select_related = ("candidate", "follow_up_owner")
    actions = ["mark_follow_up_done"]
    fieldsets = (
        (None, {"fields": ("candidate", "caller_name", "caller_contact", "direction", "channel", "topic",
                           "summary")}),
        (_("Relance"), {"fields": ("follow_up_due", "follow_up_owner", "follow_up_done_at")}),
        (_("Trace"), {"fields": ("logged_by", "created_at")}),
    )

    @admin.display(description=_("personne"))
    def who(self, obj):
        return obj.candidate or obj.caller_name or obj.caller_contact or "–"

    @admin.display(description=_("relance faite"), boolean=True)
    def follow_up_done(self, obj):
        return obj.follow_up_done_at is not None if obj.follow_up_due else None

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        # A new call is logged by the quick-log page's service, with its rules; a refusal shows on the form.
        call = services.call_log(logged_by=request.user, **{name: getattr(obj, name) for name in (
            "candidate", "caller_name", "caller_contact", "direction", "channel", "topic", "summary",
            "follow_up_due", "follow_up_owner")})
        obj.pk = call.pk
        obj.refresh_from_db()
        obj._state.adding = False

    @admin.action(description=_("Marquer les relances comme faites"), permissions=["change"])
    def mark_follow_up_done(self, request, queryset):
        done = sum(services.follow_up_mark_done(call=call, user=request.user) for call in queryset)
        self.message_user(request, _("%(n)d relance(s) marquée(s) comme faite(s).") % {"n": done}, messages.SUCCESS)


@admin.register(CallbackRequest)
class CallbackRequestAdmin(HotlineOnlyAdmin):
    list_display = ("created_at", "name", "phone", "email", "topic", "preferred_time", "language", "handled_at")
    list_filter = ("topic", "preferred_time", "language", ("handled_at", admin.EmptyFieldListFilter))
    search_fields = ("name", "email", "phone")
    date_hierarchy = "created_at"
    raw_id_fields = ("candidate", "call")
    readonly_fields = ("name", "phone", "email", "preferred_time", "topic", "message", "language", "created_at",
                       "acknowledged_at", "handled_at", "handled_by", "call")

    def has_add_permission(self, request):
        # Requests come from the public form only.
        return False


class RelocationRequestAdminForm(forms.ModelForm):
    class Meta:
        model = RelocationRequest
        fields = ("candidate", "status", "owner", "need_housing", "need_partner_job", "need_schools",
                  "need_transport", "need_other", "target_city", "target_date", "notes")
        help_texts = {"notes": CNIL_REMINDER}


@admin.register(RelocationRequest)
class RelocationRequestAdmin(PersonSearchMixin, HotlineOnlyAdmin):
    form = RelocationRequestAdminForm
    staff_fields = ("owner",)
    list_display = ("candidate", "target_city", "target_date", "status", "origin", "owner", "created_at")
    list_filter = ("status", "origin", "need_housing", "need_partner_job", "need_schools", "need_transport",
                   ("owner", admin.RelatedOnlyFieldListFilter))
    search_fields = ("candidate__last_name", "candidate__first_name", "candidate__email", "target_city")
    raw_id_fields = ("candidate",)
    readonly_fields = ("origin", "message", "created_at", "updated_at")
    list_select_related = ("candidate", "owner")
    fieldsets = (
        (None, {"fields": ("candidate", "status", "owner", "origin")}),
        (_("Besoins"), {"fields": ("need_housing", "need_partner_job", "need_schools", "need_transport",
                                   "need_other", "target_city", "target_date", "message")}),
        (_("Suivi"), {"fields": ("notes", "created_at", "updated_at")}),
    )
