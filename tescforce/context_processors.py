from django.conf import settings

from . import staff_tools


def platform(request):
    context = {"DEMO_MODE": settings.DEMO_MODE}
    user = getattr(request, "user", None)
    if user is not None and user.is_staff:
        # Footer, admin header and 403 page link only to the tools this person may open.
        context["STAFF_TOOLS"] = staff_tools.tools_for_request(request)
    return context
