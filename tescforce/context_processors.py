from django.conf import settings

from . import roles
from .permissions import can_see_hotline


def platform(request):
    context = {"DEMO_MODE": settings.DEMO_MODE}
    user = getattr(request, "user", None)
    if user is not None and user.is_staff:
        # The footer links only to the staff tools this person may open (no link that ends on a 403).
        context["STAFF_CAN_OPEN"] = {
            "dashboard": roles.has_role(user, roles.COORDINATORS, roles.PROSPECTING),
            "hotline": can_see_hotline(user),
        }
    return context
