"""The staff desk at /pilotage/: what each person acts on today, one section per role they hold.

Sections come from the rooms through `tescforce.desk`; the site only adds the coordinators' year
targets, read from the dashboard's own figures. Signing in at the admin leads here.
"""

from django.contrib import admin
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from tescforce import desk, permissions, roles, staff_tools

from . import dashboard as figures_module

# The dashboard's own query parameters: an old link to /pilotage/?year=… still opens the dashboard.
DASHBOARD_PARAMS = ("year", "edition", "city", "campaign", "prospecting_campaign", "export", "fresh")


@permissions.role_required(test=permissions.is_staff_member)
def desk_view(request):
    if any(name in request.GET for name in DASHBOARD_PARAMS):
        return HttpResponseRedirect(f"{reverse('staff:dashboard')}?{request.GET.urlencode()}")
    today = timezone.localdate()
    sections = [
        {**section, "html": render_to_string(section["template"], {**section["context"], "today": today}, request)}
        for section in desk.sections_for(request.user, today=today)
    ]
    tools = [tool for tool in staff_tools.tools_for_request(request) if tool["key"] != "desk_home"]
    return render(request, "staff/desk.html", {"sections": sections, "tools": tools, "today": today})


def year_targets_context(*, user, today) -> dict:
    """The year's targets on the talent side, as the dashboard counts them (cached there)."""
    figures, _computed = figures_module.build(figures_module.Filters(year=today.year), talent=True, business=False)
    target = next((f for f in figures if f.key == "targets"), None)
    return {"figure": target, "year": today.year}


def register_sections() -> None:
    desk.register("targets", title=_("Objectifs de l'année"), template="staff/desk/targets.html",
                  allowed=lambda user: roles.has_role(user, roles.COORDINATORS), get_context=year_targets_context,
                  order=25)


def staff_login(request, **kwargs):
    """The admin's login page, landing on the desk unless the person was on their way somewhere else."""
    target = request.POST.get("next", request.GET.get("next", ""))
    safe = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure())
    if not target or not safe or target == reverse("admin:index"):
        for data in (request.GET, request.POST) if request.method == "POST" else (request.GET,):
            data._mutable = True
            data["next"] = reverse("staff:desk")
            data._mutable = False
    return admin.site.login(request, **kwargs)
