"""Request id and JSON logs, staff session rules (idle expiry), our 405 page, and the two-factor gate for staff pages.

Kept free of model imports at module level: settings' LOGGING loads the filter and formatter below
before the apps are ready.
"""

import contextvars
import json
import logging
import re
import time
import uuid

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from . import error_pages

REQUEST_ID_HEADER = "X-Request-ID"
_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
# A proxy's id is reused only when it looks like one (no newline or quote can reach the logs).
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,128}$")


def current_request_id() -> str:
    """Return the id of the request being served in this thread, or "-"."""
    return _request_id.get()


class RequestIdMiddleware:
    """Give each request an id (the proxy's X-Request-ID when sane), echo it back and put it in the logs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        # Not reset on the way out: Django logs an error response after the middleware has returned.
        # The next request on this thread sets its own id.
        _request_id.set(request_id)
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Add `request_id` to every log record (the formatters read it)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = _request_id.get()
        return True


_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id", "taskName"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, and any `extra` fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", _request_id.get()),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value if isinstance(value, str | int | float | bool | type(None)) else str(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)

    converter = time.gmtime


IDLE_KEY = "_last_activity"


class StaffSessionMiddleware:
    """End a signed-in session after SESSION_IDLE_TIMEOUT seconds without a request.

    A disabled account is already refused by Django's ModelBackend.get_user on its next request (the
    session then reads as anonymous): that is the "logout everywhere", tested in tests/ops.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        timeout = settings.SESSION_IDLE_TIMEOUT
        if timeout and request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get(IDLE_KEY)
            if last is not None and now - last > timeout:
                logout(request)
            elif last is None or now - last > 60:
                # Written at most once a minute: no session write on every request.
                request.session[IDLE_KEY] = now
        return self.get_response(request)


def _exempt(path: str) -> bool:
    # The two-factor pages themselves, logging out, and what the admin's pages load.
    allowed = [reverse("otp_setup"), reverse("otp_verify"), reverse("admin:logout"), reverse("admin:jsi18n"),
               settings.STATIC_URL]
    return any(path.startswith(prefix) for prefix in allowed)


class MethodNotAllowedPageMiddleware:
    """Put our 405 page in the empty answer Django gives a form's address opened as a link.

    The browser would show its own blank error; an answer with a body of its own (the API's) is kept.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and not response.streaming and not response.content:
            return error_pages.method_not_allowed(request, response.get("Allow", ""))
        return response


class TwoFactorMiddleware:
    """Send a staff member to the code prompt when they have a device, or to the setup when it is mandatory."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        target = self._redirect_for(request)
        if target is not None:
            return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    def _redirect_for(self, request) -> str | None:
        user = request.user
        if not (user.is_authenticated and user.is_staff) or user.is_verified():
            return None
        path = request.path_info
        if not path.startswith(("/admin/", "/pilotage/")) or _exempt(path):
            return None
        # Not at the top: settings' LOGGING imports this module before the apps (and models) are loaded.
        from django_otp import user_has_device

        from .models import SecurityPolicy
        from .permissions import is_coordinator

        if user_has_device(user):
            return reverse("otp_verify")
        if settings.TWO_FACTOR_REQUIRED_FOR_ADMINS and (user.is_superuser or is_coordinator(user)):
            return reverse("otp_setup")
        if SecurityPolicy.current().two_factor_required:
            return reverse("otp_setup")
        return None
