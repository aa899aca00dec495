"""The admin site: Django's, with the navigation's list of models kept per user for a minute.

Django builds that list on every admin page, asking every registered model's admin (65) whether the
user may see, add or change it (a tenth of a long list's render). The answer depends only on who the user is
(roles, model permissions, the company a recruiter is limited to) and on the language, so it is kept per
process under a key made of all of them: a changed role or permission gives a new key at once.

The sidebar drawn from that list (65 rows of links and translated labels, a quarter of a short list's
render) is kept with it, once per set of rows the page's address marks as current.
"""

import time

from django.contrib import admin
from django.utils.translation import get_language

from .roles import group_names
from .scoping import recruiter_company_id

APP_LIST_SECONDS = 60
_APP_LISTS: dict = {}
_APP_LISTS_MAX = 500  # users × languages; cleared whole when full
_SIDEBARS_MAX = 200  # current rows per entry: the models and apps one user visits


def _who(user) -> tuple:
    return (user.pk, user.is_active, user.is_staff, user.is_superuser, group_names(user),
            recruiter_company_id(user), frozenset(user.get_all_permissions()), get_language())


class TescforceAdminSite(admin.AdminSite):
    def get_app_list(self, request, app_label=None):
        user = request.user
        if app_label is not None or not getattr(user, "is_authenticated", False):
            return super().get_app_list(request, app_label)
        key, now = _who(user), time.monotonic()
        request._tf_admin_key = key  # the sidebar's lookup below, without working it out again
        kept = _APP_LISTS.get(key)
        if kept is not None and kept[0] > now:
            return kept[1]
        app_list = super().get_app_list(request)
        if len(_APP_LISTS) >= _APP_LISTS_MAX:
            _APP_LISTS.clear()
        _APP_LISTS[key] = (now + APP_LIST_SECONDS, app_list, {})
        return app_list


def sidebar_html(request, app_list, current: tuple, render) -> str:
    """Return `render()`, the sidebar of `app_list` with the rows `current` marked, kept beside the list.

    Kept only when `app_list` is the very list kept for this user: the HTML then says exactly what that
    list says, and goes with it.
    """
    key = getattr(request, "_tf_admin_key", None)
    kept = _APP_LISTS.get(key) if key is not None else None
    if kept is None or kept[1] is not app_list:
        return render()
    sidebars = kept[2]
    html = sidebars.get(current)
    if html is None:
        html = render()
        if len(sidebars) >= _SIDEBARS_MAX:
            sidebars.clear()
        sidebars[current] = html
    return html
