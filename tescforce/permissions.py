"""Who may do what: the predicates staff pages and admin classes ask, and the one view gate, `role_required`.

Roles themselves (the groups and their model permissions) are defined in `roles.py`; this module only reads them.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from . import roles
from .scoping import recruiter_company_id

has_role = roles.has_role
HOTLINE_GROUPS = (roles.HOTLINE, roles.COORDINATORS)


def is_staff_member(user) -> bool:
    """Any active member of the staff, whatever their roles (the desk, which shows each their own sections)."""
    return getattr(user, "is_authenticated", False) and user.is_active and user.is_staff


def is_coordinator(user) -> bool:
    """Active superusers and members of the coordinators' group."""
    return has_role(user, roles.COORDINATORS)


def is_recruiter(user) -> bool:
    """True for a user limited to one company's data (a superuser or a coordinator never is)."""
    return getattr(user, "is_authenticated", False) and recruiter_company_id(user) is not None


def can_see_hotline(user) -> bool:
    """Hotline agents and coordinators may read calls and requests; a recruiter never, even with a second role."""
    return has_role(user, *HOTLINE_GROUPS) and not is_recruiter(user)


def may_prospect(user) -> bool:
    """Staff who may view prospects (officers, coordinators), never a recruiter; a disabled account never."""
    return (getattr(user, "is_authenticated", False) and user.is_active and user.is_staff
            and user.has_perm("prospecting.view_prospect") and not is_recruiter(user))


class RoleRequired(PermissionDenied):
    """A refusal that names the roles the page is for (the 403 page says them; empty when a test decides)."""

    def __init__(self, roles_needed=()):
        super().__init__()
        self.roles = tuple(roles_needed)


def role_required(*role_names: str, test: Callable[[Any], bool] | None = None):
    """Gate a view: the anonymous are sent to the login page, signed-in users who may not enter get the 403 page.

    `role_required(roles.COORDINATORS, roles.HOTLINE)` lets in active members of either group and active
    superusers. Where a group alone does not say it, `test=` names a predicate of this module that must hold
    too (or alone, without role names), e.g. `role_required(test=may_prospect)`.
    """
    if not role_names and test is None:
        raise TypeError("role_required needs role names, a test, or both")

    def allowed(user) -> bool:
        return (not role_names or has_role(user, *role_names)) and (test is None or test(user))

    def decorator(view):
        refusal = RoleRequired(role_names)

        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not allowed(request.user):
                raise refusal
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
