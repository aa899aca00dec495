"""The staff accounts admin: Django's UserAdmin for superusers, a narrow one for coordinators.

A coordinator sees and changes only the accounts `accounts.manageable_users` gives them, through a form
that has no password, superuser, staff, permission or free group field; the server enforces the same in
the queryset, the permissions, the password URL and `accounts.staff_account_save`, not only by hiding fields.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from companies.models import Company
from tescforce import accounts, roles


class CoordinatorAccountForm(forms.ModelForm):
    """The fields a coordinator may set on a staff account."""

    roles = forms.ModelMultipleChoiceField(
        label=capfirst(_("rôles")), queryset=None, required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Un compte sans rôle n'a plus accès à l'administration."))
    company = forms.ModelChoiceField(
        label=capfirst(_("entreprise (recruteurs)")), queryset=None, required=False,
        help_text=_("L'entreprise dont un recruteur voit les candidats et les offres."))
    language = forms.ChoiceField(label=capfirst(_("langue des e-mails")), choices=settings.LANGUAGES, required=False)

    class Meta:
        model = get_user_model()
        fields = ("username", "first_name", "last_name", "email", "is_active")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"].queryset = accounts.manageable_role_groups()
        self.fields["company"].queryset = Company.objects.order_by("name")
        self.fields["email"].required = True
        self.fields["language"].initial = (translation.get_language() or "fr")[:2]
        if self.instance.pk:
            self.fields["roles"].initial = list(self.instance.groups.filter(name__in=roles.MANAGEABLE_ROLES))
            recruiter = getattr(self.instance, "recruiter", None)
            if recruiter is not None:
                self.fields["company"].initial = recruiter.company_id
                self.fields["language"].initial = recruiter.language

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        others = get_user_model().objects.filter(email__iexact=email).exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(_("Un autre compte utilise déjà cette adresse."))
        return email

    def clean(self):
        cleaned = super().clean()
        chosen = {group.name for group in cleaned.get("roles") or []}
        has_profile = getattr(self.instance, "recruiter", None) is not None if self.instance.pk else False
        if roles.RECRUITERS in chosen and not cleaned.get("company") and not has_profile:
            self.add_error("company", _("Choisissez l'entreprise de ce recruteur."))
        return cleaned


class StaffUserAdmin(UserAdmin):
    list_display = ("username", "email", "first_name", "last_name", "roles_col", "is_active", "last_login")
    list_filter = ("is_active", "is_staff", "is_superuser", "groups")
    actions = ("disable_accounts",)

    @staticmethod
    def _narrow(request) -> bool:
        return not request.user.is_superuser

    @admin.display(description=_("rôles"))
    def roles_col(self, obj):
        return ", ".join(sorted(group.name for group in obj.groups.all()))

    def get_queryset(self, request):
        queryset = super().get_queryset(request).prefetch_related("groups")
        return queryset & accounts.manageable_users(request.user) if self._narrow(request) else queryset

    def get_list_filter(self, request):
        return ("is_active", "groups") if self._narrow(request) else self.list_filter

    def _in_reach(self, request, obj) -> bool:
        return obj is None or not self._narrow(request) or accounts.may_manage(request.user, obj)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._in_reach(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._in_reach(request, obj)

    def has_delete_permission(self, request, obj=None):
        # Coordinators disable accounts; deleting one (and its trail) is for superusers.
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    def get_fieldsets(self, request, obj=None):
        if not self._narrow(request):
            return super().get_fieldsets(request, obj)
        if obj is None:
            return ((None, {"fields": ("username", "first_name", "last_name", "email")}),
                    (_("Accès"), {"fields": ("roles", "company", "language"),
                                  "description": _("Le compte reçoit un e-mail pour choisir son mot de passe.")}))
        return ((None, {"fields": ("username", "first_name", "last_name", "email")}),
                (_("Accès"), {"fields": ("is_active", "roles", "company")}),
                (_("Dates"), {"fields": ("last_login", "date_joined")}))

    def get_readonly_fields(self, request, obj=None):
        return ("last_login", "date_joined") if self._narrow(request) else super().get_readonly_fields(request, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        if not self._narrow(request):
            return super().get_form(request, obj, change=change, **kwargs)
        kwargs["form"] = CoordinatorAccountForm
        # UserAdmin.get_form swaps in its own password forms; the plain ModelAdmin one keeps ours.
        return admin.ModelAdmin.get_form(self, request, obj, change=change, **kwargs)

    def save_model(self, request, obj, form, change):
        if not self._narrow(request):
            return super().save_model(request, obj, form, change)
        try:
            accounts.staff_account_save(
                user=obj, role_groups=form.cleaned_data.get("roles") or [], company=form.cleaned_data.get("company"),
                language=form.cleaned_data.get("language") or translation.get_language() or "fr",
                actor=request.user)
        except PermissionError:
            raise PermissionDenied from None

    def save_related(self, request, form, formsets, change):
        if not self._narrow(request):
            super().save_related(request, form, formsets, change)

    def user_change_password(self, request, id, form_url=""):
        # Nobody but a superuser sets another person's password; staff change their own at
        # /admin/password_change/ (old password asked) or through the reset e-mail.
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

    @admin.action(description=_("Désactiver les comptes sélectionnés"), permissions=["change"])
    def disable_accounts(self, request, queryset):
        # The changelist's queryset is already limited to the accounts in reach; never one's own.
        count = queryset.exclude(pk=request.user.pk).update(is_active=False)
        self.message_user(request, _("%(count)d compte(s) désactivé(s).") % {"count": count}, messages.SUCCESS)


def register_admin() -> None:
    user_model = get_user_model()
    if admin.site.is_registered(user_model):
        admin.site.unregister(user_model)
    admin.site.register(user_model, StaffUserAdmin)
