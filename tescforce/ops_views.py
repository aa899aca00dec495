"""Operations and staff security pages: the readiness probe and the two-factor setup and prompt."""

import base64
import datetime as dt

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_ratelimit.decorators import ratelimit

from .tasks import HEARTBEAT_KEY

# The beat schedule sends a heartbeat every 5 minutes: three missed ones mean no worker runs tasks.
WORKER_SILENCE = dt.timedelta(minutes=15)


def _database() -> str | None:
    try:
        connection = connections[DEFAULT_DB_ALIAS]
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            return "migrations not applied"
    except Exception:
        return "database unreachable"
    return None


def _redis() -> str | None:
    if not settings.REDIS_URL:
        return None
    try:
        client = cache._cache.get_client(write=True)  # the Redis cache backend's client
        client.ping()
    except Exception:
        return "redis unreachable"
    return None


def _worker() -> str | None:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return None  # no broker: tasks run in the web process itself
    try:
        seen = cache.get(HEARTBEAT_KEY)
    except Exception:
        return "worker heartbeat unreadable"
    if not seen:
        return "no worker heartbeat"
    if timezone.now() - dt.datetime.fromisoformat(seen) > WORKER_SILENCE:
        return "worker heartbeat too old"
    return None


def readyz(request):
    """Answer 200 when the database, Redis, the migrations and a worker are all ready; else 503 naming each gap."""
    checks = {"database": _database(), "redis": _redis(), "worker": _worker()}
    problems = {name: problem for name, problem in checks.items() if problem}
    if problems:
        return JsonResponse({"status": "not ready", "problems": problems}, status=503)
    return JsonResponse({"status": "ready"})


# --- two-factor authentication ---------------------------------------------------------------------

class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code à 6 chiffres"), max_length=8, min_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}))


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return "/admin/"


def _qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode")


def _context(request, **extra):
    return {**admin.site.each_context(request), "next": _next_url(request), **extra}


@login_required
@ratelimit(key="user", rate="10/m", method="POST", block=False)
def otp_setup(request):
    """Pair an authenticator app: show a QR code (drawn here, no outside service) and check a first code."""
    user = request.user
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return redirect("otp_verify")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=str(_("Application d'authentification")),
                                           confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if getattr(request, "limited", False):
            form.add_error("token", _("Trop d'essais : patientez une minute."))
        elif device.verify_token(form.cleaned_data["token"].strip()):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return redirect(_next_url(request))
        else:
            form.add_error("token", _("Ce code ne correspond pas. Vérifiez l'heure de votre téléphone."))
    return render(request, "tescforce/security/otp_setup.html", _context(
        request, form=form, title=_("Configurer la double authentification"),
        qr_svg=mark_safe(_qr_svg(device.config_url)),  # noqa: S308 - our own SVG, built from our own data
        secret=base64.b32encode(device.bin_key).decode().rstrip("=")))


@login_required
def otp_verify(request):
    """Ask for the current code of the staff member's authenticator app."""
    user = request.user
    devices = list(TOTPDevice.objects.filter(user=user, confirmed=True))
    if not devices:
        return redirect("otp_setup")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"].strip()
        # The device throttles repeated failures itself (growing delay between accepted tries).
        device = next((d for d in devices if d.verify_token(token)), None)
        if device is not None:
            otp_login(request, device)
            return redirect(_next_url(request))
        form.add_error("token", _("Ce code ne correspond pas ou a expiré."))
    return render(request, "tescforce/security/otp_verify.html", _context(
        request, form=form, title=_("Vérification en deux étapes")))
