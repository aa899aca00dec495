"""Staff accounts: who may manage whom, creating and changing an account, and the password e-mails.

The rule, stated once: a superuser manages every account. A coordinator manages only the accounts that
hold no more than the roles in `roles.MANAGEABLE_ROLES` (recruiter, hotline, prospecting): never a
superuser, a coordinator, an account with individual permissions or with any other group. A coordinator
gives those roles only, never sets a password (a new account receives a "set your password" e-mail),
and never makes anyone superuser. The admin (site/accounts_admin.py) applies this on every page and POST.

A role may need a profile in the room that owns it (a recruiter's company). That room registers it from its
AppConfig.ready():

    accounts.register_role_profile(roles.RECRUITERS, recruiter_profile_set)

save(user=…, company=…, language=…) runs inside `staff_account_save`'s transaction when the account receives
the role and a company was chosen. A role with no profile registered gets none (a recruiter without a
company sees nothing: tescforce/scoping.py).
"""

import logging
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from . import roles
from .mail import send_templated
from .tasks import delivery_error

logger = logging.getLogger(__name__)

_ROLE_PROFILES: dict[str, Callable[..., object]] = {}


def register_role_profile(role: str, save: Callable[..., object]) -> None:
    _ROLE_PROFILES[role] = save


def manageable_users(actor) -> QuerySet:
    """Return the accounts `actor` may open and change (none for anyone but superusers and coordinators)."""
    users = get_user_model().objects.all()
    if getattr(actor, "is_superuser", False) and actor.is_active:
        return users
    if not roles.has_role(actor, roles.COORDINATORS):
        return users.none()
    beyond_roles = Q(groups__isnull=False) & ~Q(groups__name__in=roles.MANAGEABLE_ROLES)
    outside = users.filter(Q(is_superuser=True) | Q(user_permissions__isnull=False) | beyond_roles)
    return users.exclude(pk__in=outside.values("pk")).exclude(pk=actor.pk)


def may_manage(actor, user) -> bool:
    """True when `actor` may open and change `user`'s account."""
    return user.pk is not None and manageable_users(actor).filter(pk=user.pk).exists()


def manageable_role_groups() -> QuerySet:
    return Group.objects.filter(name__in=roles.MANAGEABLE_ROLES).order_by("name")


def staff_account_save(*, user, role_groups, company=None, language: str = "fr", actor) -> object:
    """Save an account a coordinator manages, with exactly the roles given; return it.

    Whatever a form posted, the account ends neither superuser nor holding individual permissions, is
    staff only if it has a role, and a new one has no usable password and receives the "set your
    password" e-mail (once the transaction commits).
    """
    if user.pk is not None and not may_manage(actor, user):
        raise PermissionError("account outside the actor's reach")
    wanted = [group for group in role_groups if group.name in roles.MANAGEABLE_ROLES]
    created = user.pk is None
    with transaction.atomic():
        user.is_superuser = False
        user.is_staff = bool(wanted)
        if created:
            user.set_unusable_password()
        user.save()
        user.user_permissions.clear()
        user.groups.set(wanted)
        if company is not None:
            for group in wanted:
                save_profile = _ROLE_PROFILES.get(group.name)
                if save_profile is not None:
                    save_profile(user=user, company=company, language=language)
        if created:
            # robust: a mail server down must not turn the saved account into an error page; the person can
            # still ask for a link from the login page ("Mot de passe oublié").
            transaction.on_commit(lambda: send_account_email(user=user, kind="welcome", language=language),
                                  robust=True)
    return user


def account_link(user) -> str:
    """Return the absolute address where `user` chooses a new password (valid PASSWORD_RESET_TIMEOUT, once)."""
    path = reverse("password_reset_confirm", kwargs={
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user)})
    return f"{settings.SITE_URL}{path}"


def send_account_email(*, user, kind: str, language: str) -> None:
    """Send the "welcome, set your password" or the "reset your password" e-mail, in `language`."""
    context = {"user": user, "username": user.get_username(), "link": account_link(user),
               "timeout_days": settings.PASSWORD_RESET_TIMEOUT // 86400}
    send_templated(template=f"tescforce/accounts/{kind}", context=context, to=[user.email], language=language)


class StaffPasswordResetForm(PasswordResetForm):
    """Django's reset form, for active staff accounts, including new ones that have no password yet."""

    def get_users(self, email):
        return get_user_model().objects.filter(email__iexact=email.strip(), is_active=True, is_staff=True)

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email,
                  html_email_template_name=None):
        try:
            send_account_email(user=context["user"], kind="reset", language=translation.get_language() or "fr")
        except Exception as exc:
            # The page answers the same whatever happens, so that it tells nobody whether the address exists.
            logger.error("password reset e-mail not sent to user %s: %s", context["user"].pk, delivery_error(exc))
