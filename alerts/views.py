"""Alerts in Mon espace, and the unsubscribe page reached from any alert e-mail without signing in."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from candidates import space

from . import selectors, services
from .forms import AlertsForm
from .models import Subscription


def _initial(candidate) -> dict:
    held = selectors.subscriptions_of(candidate)
    return {kind: held[kind].frequency if kind in held else services.OFF for kind in Subscription.Kind.values}


def space_alerts_context(request, candidate) -> dict:
    """Context of the Mon espace section (alerts/space_alerts.html)."""
    return {"alerts_form": AlertsForm(initial=_initial(candidate), auto_id="alerts_%s")}


@require_POST
@space.space_required
def space_alerts(request, *, candidate):
    form = AlertsForm(request.POST, auto_id="alerts_%s")
    if not form.is_valid():
        messages.error(request, _("Choisissez, pour chaque alerte, l'une des options proposées."))
        return redirect("candidates:space_home")
    for kind in Subscription.Kind.values:
        services.subscription_set(candidate=candidate, kind=kind, frequency=form.cleaned_data[kind])
    if any(form.cleaned_data[kind] != services.OFF for kind in Subscription.Kind.values):
        messages.success(request, _("Vos alertes sont enregistrées. Chaque e-mail contient un lien pour vous "
                                    "désinscrire en un clic."))
    else:
        messages.success(request, _("Vous ne recevez aucune alerte."))
    return redirect("candidates:space_home")


# A mail client's one-click unsubscribe (RFC 8058) posts without a cookie or CSRF token: the signed token
# in the address is what allows it. GET only shows the confirmation, so a link checker unsubscribes no one.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    try:
        _candidate, kind = services.read_unsubscribe_token(token)
    except services.AlertError as error:
        return render(request, "alerts/unsubscribe_invalid.html", {"message": error.message}, status=404)
    label = Subscription.Kind(kind).label
    if request.method == "POST":
        services.subscription_unsubscribe(token=token)
        return render(request, "alerts/unsubscribed.html", {"label": label})
    return render(request, "alerts/unsubscribe.html", {"label": label})
