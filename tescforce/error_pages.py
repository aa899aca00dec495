"""Our own 403, 404, 405, 429 and 500 pages: the site's layout, the visitor's language, a way forward."""

from django.http import HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext
from django.views.decorators.csrf import requires_csrf_token


def _error_page(request, template: str, status: int, context: dict | None = None) -> HttpResponse:
    response = render(request, template, context or {}, status=status)
    # An error page is not a page to index, nor to keep in a shared cache.
    response["X-Robots-Tag"] = "noindex"
    response["Cache-Control"] = "no-store"
    return response


@requires_csrf_token
def page_not_found(request, exception=None):
    return _error_page(request, "errors/404.html", 404)


@requires_csrf_token
def permission_denied(request, exception=None):
    # Role names are the groups' names, in French; the catalogue gives their English.
    roles = [gettext(name) for name in getattr(exception, "roles", ())]
    return _error_page(request, "errors/403.html", 403, {"roles_needed": roles})


def method_not_allowed(request, allowed: str) -> HttpResponse:
    """A form's address opened as a link (a bookmark, a copied URL): say what it is, change nothing."""
    response = _error_page(request, "errors/405.html", 405)
    response["Allow"] = allowed
    return response


def csrf_failure(request, reason=""):
    """An expired or missing form token: say how to go on, in the visitor's language, not Django's debug text."""
    return _error_page(request, "errors/403_csrf.html", 403)


def too_many_requests(request, exception=None, message: str = ""):
    """The page of a visitor who hit a rate limit (RATELIMIT_VIEW, and views that check `request.limited`)."""
    return _error_page(request, "errors/429.html", 429, {"message": message})


@requires_csrf_token
def server_error(request):
    # No context processors and no database: whatever broke may break the error page too.
    template = loader.get_template("errors/500.html")
    response = HttpResponse(template.render({"request_path": request.path}), status=500)
    response["Cache-Control"] = "no-store"
    return response
