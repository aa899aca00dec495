"""The coordinators' side of the partner space: members invited, disabled or removed; referrals read.

Only coordinators (and superusers) see these pages; recruiters, the hotline and prospecting officers get
nothing, whatever permission a group may be given later. A member's account is no staff account: it never
reaches the admin.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tescforce.admin_mixins import ScopedModelAdmin
from tescforce.permissions import is_coordinator

from . import course_admin, services  # noqa: F401 - course_admin: courses' pages
from .api import admin as api_admin  # noqa: F401 - the API keys' page
from .models import Member, Referral


class CoordinatorsOnlyAdmin(ScopedModelAdmin):
    def has_module_permission(self, request):
        return is_coordinator(request.user) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return is_coordinator(request.user) and super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return is_coordinator(request.user) and super().has_change_permission(request, obj)

    def has_add_permission(self, request):
        return is_coordinator(request.user) and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return is_coordinator(request.user) and super().has_delete_permission(request, obj)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs if is_coordinator(request.user) else qs.none()


class MemberInviteAdminForm(forms.ModelForm):
    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    last_name = forms.CharField(label=_("Nom"), max_length=150)
    email = forms.EmailField(label=_("E-mail"))
    username = forms.CharField(label=_("Identifiant (facultatif)"), max_length=150, required=False,
                               help_text=_("Par défaut, l'e-mail."))

    class Meta:
        model = Member
        fields = ("partner", "first_name", "last_name", "email", "username", "language", "digest")

    def clean_language(self):
        value = self.cleaned_data.get("language")
        return value if value in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


@admin.register(Member)
class MemberAdmin(CoordinatorsOnlyAdmin):
    list_display = ("__str__", "email_display", "partner", "active_display", "invited_at", "disabled_at")
    list_filter = ("partner", ("disabled_at", admin.EmptyFieldListFilter))
    search_fields = ("user__first_name", "user__last_name", "user__email", "partner__name")
    list_select_related = ("user", "partner")
    readonly_fields = ("user", "invited_by", "invited_at", "disabled_at")
    fields = ("user", "partner", "language", "digest", "invited_by", "invited_at", "disabled_at")
    actions = ["disable_action", "enable_action", "resend_action"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = MemberInviteAdminForm
            kwargs["fields"] = MemberInviteAdminForm.Meta.fields
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        return MemberInviteAdminForm.Meta.fields if obj is None else self.fields

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        data = form.cleaned_data
        member = services.member_invite(partner=data["partner"], email=data["email"], first_name=data["first_name"],
                                        last_name=data["last_name"], language=data["language"],
                                        username=data.get("username", ""), by=request.user)
        if not data.get("digest", True):
            Member.objects.filter(pk=member.pk).update(digest=False)
        obj.pk, obj.user, obj.invited_at = member.pk, member.user, member.invited_at

    def delete_model(self, request, obj):
        services.member_remove(member=obj)

    def delete_queryset(self, request, queryset):
        for member in queryset:
            services.member_remove(member=member)

    @admin.display(description=_("e-mail"), ordering="user__email")
    def email_display(self, obj):
        return obj.user.email

    @admin.display(description=_("accès actif"), boolean=True)
    def active_display(self, obj):
        return obj.is_active

    @admin.action(description=_("Désactiver l'accès des membres sélectionnés"))
    def disable_action(self, request, queryset):
        done = sum(services.member_disable(member=member, by=request.user) for member in queryset)
        self.message_user(request, ngettext("%(n)d membre désactivé·e.", "%(n)d membres désactivé·es.", done)
                          % {"n": done}, messages.SUCCESS)

    @admin.action(description=_("Réactiver l'accès des membres sélectionnés"))
    def enable_action(self, request, queryset):
        done = sum(services.member_enable(member=member, by=request.user) for member in queryset)
        self.message_user(request, ngettext("%(n)d membre réactivé·e.", "%(n)d membres réactivé·es.", done)
                          % {"n": done}, messages.SUCCESS)

    @admin.action(description=_("Renvoyer le lien pour choisir un mot de passe"))
    def resend_action(self, request, queryset):
        done = sum(services.member_invitation_send(member=member, reset=True) for member in queryset)
        self.message_user(request, ngettext("%(n)d lien envoyé.", "%(n)d liens envoyés.", done) % {"n": done},
                          messages.SUCCESS)


@admin.register(Referral)
class ReferralAdmin(CoordinatorsOnlyAdmin):
    list_display = ("__str__", "partner", "match", "created_at", "linked_at", "declined_at", "erased_at")
    list_filter = ("partner", "match", ("linked_at", admin.EmptyFieldListFilter), "created_at")
    search_fields = ("first_name", "last_name", "email", "partner__name")
    list_select_related = ("partner",)
    show_full_result_count = False
    fields = ("partner", "created_by", "candidate", "match", "duplicate_of", "first_name", "last_name", "email",
              "phone", "postcode", "profile", "skills", "proposed_session", "proposed_track", "note", "language",
              "created_at", "linked_at", "declined_at", "share_progress", "consent_wording_version",
              "consent_withdrawn_at", "erased_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False  # partners refer from their space, where the person is asked
