"""The partner space's one gate: an active member of an organisation, checked on every request.

The membership is read afresh each time (selectors.member_for), so a member a coordinator disables, or
takes out of their organisation, is refused from their very next request, an open session included: that
session is closed there and then.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext as _

from tescforce import roles

from . import selectors
from .models import Member


def member_required(view):
    """Pass `member` to the view; the anonymous go to the partner sign-in, anyone else gets the 403 page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("partners:login"))
        member = selectors.member_for(user)
        if member is None:
            if Member.objects.filter(user_id=user.pk).exists() or _was_member(user):
                # A member who has left: the session ends now, and they are told why at the sign-in page.
                logout(request)
                messages.error(request, _("Votre accès à l'espace partenaire a été désactivé."))
                return redirect_to_login(request.get_full_path(), reverse("partners:login"))
            raise PermissionDenied
        return view(request, *args, member=member, **kwargs)

    return wrapper


def _was_member(user) -> bool:
    # Taken out of their organisation: the membership row is gone, the role remains until the account closes.
    return not user.is_staff and not user.is_superuser and user.groups.filter(name=roles.PARTNERS).exists()
