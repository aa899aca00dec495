"""Security plumbing shared by the logins, the rate limits and the admin: the client's address, who is a
coordinator, and the admin pages for the security policy and the lockouts."""

import ipaddress

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from .accounts import manageable_users
from .admin_mixins import titled_filter
from .models import SecurityPolicy
from .permissions import is_coordinator


def client_ip(request) -> str:
    """Return the client's address as the outermost trusted proxy saw it.

    Each of the TRUSTED_PROXY_COUNT proxies appends the address it received from to X-Forwarded-For,
    so the entry that many places from the end is the last one a trusted party wrote; anything to its
    left came from the client and may be forged. With no trusted proxy, REMOTE_ADDR is the client.
    """
    remote = request.META.get("REMOTE_ADDR", "") or "0.0.0.0"  # noqa: S104 - a key, not a bind address
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < count:
        return remote
    candidate = forwarded[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


class SecurityPolicyAdmin(admin.ModelAdmin):
    """The one policy row: coordinators change it, nobody adds or deletes it."""

    fields = ("two_factor_required", "updated_at")
    readonly_fields = ("updated_at",)

    def has_module_permission(self, request):
        return is_coordinator(request.user)

    def has_view_permission(self, request, obj=None):
        return is_coordinator(request.user)

    def has_change_permission(self, request, obj=None):
        return is_coordinator(request.user)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            return super().changelist_view(request, extra_context)
        policy = SecurityPolicy.current()
        return redirect("admin:tescforce_securitypolicy_change", policy.pk)


class CoordinatorsMayManage:
    """Mixin for the lockout and device admins: coordinators see the rows and delete them (an unlock, a reset),
    for the accounts they manage only: unlocking a superuser's login or removing their device is not theirs."""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        reach = manageable_users(request.user)
        if hasattr(queryset.model, "user"):
            return queryset.filter(user__in=reach)
        # Lockouts are keyed on a typed username, which may name no account at all.
        above = get_user_model().objects.exclude(pk__in=reach.values("pk")).values("username")
        return queryset.exclude(username__in=above)

    def has_module_permission(self, request):
        return is_coordinator(request.user) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return is_coordinator(request.user) or super().has_view_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return is_coordinator(request.user) or super().has_delete_permission(request, obj)


class StaffTOTPDeviceAdmin(TOTPDeviceAdmin):
    """django-otp's list of devices in the staff's words: its model and fields are named in English only."""

    list_display = ["person", "device_name", "added_on", "last_used_on", "is_confirmed"]
    list_filter = [("created_at", titled_filter(admin.DateFieldListFilter, _("ajouté le"))),
                   ("last_used_at", titled_filter(admin.DateFieldListFilter, _("dernière utilisation"))),
                   ("confirmed", titled_filter(admin.BooleanFieldListFilter, _("confirmé")))]
    search_help_text = _("Nom d'utilisateur ou adresse e-mail de la personne.")

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {"title": _("Appareils de double authentification"),
                                                 **(extra_context or {})})

    @admin.display(description=_("personne"), ordering="user__username")
    def person(self, obj):
        return obj.user

    @admin.display(description=_("nom de l'appareil"), ordering="name")
    def device_name(self, obj):
        return obj.name

    @admin.display(description=_("ajouté le"), ordering="created_at")
    def added_on(self, obj):
        return obj.created_at

    @admin.display(description=_("dernière utilisation"), ordering="last_used_at")
    def last_used_on(self, obj):
        return obj.last_used_at

    @admin.display(description=_("confirmé"), boolean=True, ordering="confirmed")
    def is_confirmed(self, obj):
        return obj.confirmed

    @admin.display(description=_("échecs de code à la suite"))
    def failures(self, obj):
        return obj.throttling_failure_count

    # A device is enrolled by its owner from their own page; the admin only shows it and deletes a lost one.
    # Its secret key is never shown: whoever reads it can make the person's codes.
    fields = readonly_fields = ("person", "device_name", "is_confirmed", "added_on", "last_used_on", "failures")

    def get_fieldsets(self, request, obj=None):
        return [(None, {"fields": self.fields})]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class StaffAccessAttemptAdmin(AccessAttemptAdmin):
    """django-axes' lockouts, with its two unnamed columns named and counted in the staff's language."""

    @admin.display(description=_("état"))
    def status(self, obj):
        left = settings.AXES_FAILURE_LIMIT - obj.failures_since_start
        if left <= 0:
            return _("bloqué")
        return ngettext("%(n)s essai restant", "%(n)s essais restants", left) % {"n": left}

    @admin.display(description=_("expire le"))
    def expiration(self, obj):
        return super().expiration(obj)


def _reregister(model, admin_class) -> None:
    # The packages register their own admins; ours add the coordinators' rights on top of them.
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, type(f"Coordinators{admin_class.__name__}", (CoordinatorsMayManage, admin_class), {}))


def register_admin() -> None:
    if not admin.site.is_registered(SecurityPolicy):
        admin.site.register(SecurityPolicy, SecurityPolicyAdmin)
    # A locked-out colleague is unlocked by deleting the attempt row; a lost phone by deleting the device.
    _reregister(AccessAttempt, StaffAccessAttemptAdmin)
    _reregister(TOTPDevice, StaffTOTPDeviceAdmin)
