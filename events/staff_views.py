"""The check-in desk on the day: find a person, mark them present, register walk-ins."""

import datetime as dt

from django.contrib import messages
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from tescforce import roles
from tescforce.permissions import role_required

from . import services
from .forms import TicketScanForm, WalkInForm
from .models import Registration, Session
from .services import BookingError
from .tickets import TicketError, arrival_time

DESK_GROUPS = {roles.COORDINATORS, roles.HOTLINE}
DESK_STATUSES = (Registration.Status.CONFIRMED, Registration.Status.ATTENDED, Registration.Status.WAITLISTED,
                 Registration.Status.NO_SHOW)


def _desk_list(session: Session, query: str = ""):
    qs = (session.registrations.filter(status__in=DESK_STATUSES, candidate__anonymised_at__isnull=True)
          .select_related("candidate").order_by("candidate__last_name", "candidate__first_name", "pk"))
    for word in query.split()[:4]:
        qs = qs.filter(Q(candidate__first_name__icontains=word) | Q(candidate__last_name__icontains=word)
                       | Q(candidate__email__icontains=word))
    return qs


def _counts(session: Session) -> dict:
    regs = session.registrations
    return {
        "present": regs.filter(status=Registration.Status.ATTENDED).count(),
        "expected": regs.filter(status__in=(Registration.Status.CONFIRMED, Registration.Status.ATTENDED,
                                            Registration.Status.NO_SHOW), walk_in=False).count(),
        "walk_ins": regs.filter(status=Registration.Status.ATTENDED, walk_in=True).count(),
        "capacity": session.capacity,
    }


@require_GET
@role_required(*DESK_GROUPS)
def desk_sessions(request):
    start = timezone.now() - dt.timedelta(days=1)
    sessions = list(Session.objects.filter(ends_at__gte=start).order_by("starts_at")[:30])
    for session in sessions:
        session.checkin_open = services.checkin_closed_reason(session=session) is None
        session.checkin_opens_at = services.checkin_opens_at(session=session)
    return render(request, "events/staff/desk_sessions.html", {"sessions": sessions, "now_at": timezone.now()})


def mask_email(email: str) -> str:
    """"romain.barthe@gmail.com" → "r•••@gmail.com": enough to tell two namesakes apart at the desk."""
    local, _at, domain = (email or "").partition("@")
    return f"{local[:1]}•••@{domain}" if local and domain else ""


def mask_phone(phone) -> str:
    """"+33 6 12 34 56 78" → "•• •• 78"."""
    digits = "".join(ch for ch in str(phone or "") if ch.isdigit())
    return f"•• •• {digits[-2:]}" if len(digits) >= 4 else ""


def _with_hints(registrations):
    rows = list(registrations)
    for r in rows:
        r.contact_hint = mask_email(r.candidate.email) or mask_phone(r.candidate.phone)
    return rows


# What the desk's script says (it has no catalogue of its own); "{n}", "{name}" and "{time}" are filled in there.
SCAN_TEXTS = {
    "online": gettext_lazy("En ligne"),
    "offline": gettext_lazy("Hors ligne : scans gardés sur cet appareil"),
    "pending_none": gettext_lazy("aucun scan en attente"),
    "pending_one": gettext_lazy("1 scan en attente"),
    "pending_many": gettext_lazy("{n} scans en attente"),
    "pending_title": gettext_lazy("En attente"),
    "pending_message": gettext_lazy("Pas de réseau : ce scan est gardé sur cet appareil et sera envoyé au retour "
                                    "du réseau. Laissez cette page ouverte."),
    "pending_guess": gettext_lazy("Billet de {name} ? À confirmer au retour du réseau."),
    "synced": gettext_lazy("Scan de {time} envoyé au retour du réseau"),
    "refused_title": gettext_lazy("Refusé"),
    "not_a_ticket": gettext_lazy("Ce QR code n'est pas un billet Tesc Force."),
    "camera_reading": gettext_lazy("Visez le QR code du billet avec la caméra."),
    "camera_denied": gettext_lazy("La caméra est refusée : autorisez-la dans les réglages du navigateur, ou "
                                  "utilisez une douchette ou le code."),
    "camera_missing": gettext_lazy("Aucune caméra disponible : utilisez une douchette ou saisissez le code."),
    "camera_insecure": gettext_lazy("La caméra ne s'ouvre que sur une adresse https : utilisez une douchette ou "
                                    "saisissez le code."),
    "camera_no_reader": gettext_lazy("Ce navigateur ne sait pas lire les QR codes : utilisez une douchette ou "
                                     "saisissez le code."),
    "server_error": gettext_lazy("Le serveur n'a pas répondu : le scan reste en attente et sera renvoyé."),
    "signed_out": gettext_lazy("Votre connexion a expiré : reconnectez-vous dans un autre onglet ; les scans en "
                               "attente seront envoyés ensuite."),
    "mark_error": gettext_lazy("Le pointage a échoué : réessayez."),
    "undo_offline": gettext_lazy("Hors ligne : un pointage ne peut pas être annulé avant le retour du réseau."),
}


def _page(request, session: Session, *, query: str = "", walk_in_form=None, status: int = 200):
    closed_reason = services.checkin_closed_reason(session=session)
    return render(request, "events/staff/checkin.html", {
        "session": session, "registrations": _with_hints(_desk_list(session, query)), "query": query,
        "counts": _counts(session), "walk_in_form": walk_in_form or WalkInForm(), "closed_reason": closed_reason,
        "scan_texts": SCAN_TEXTS}, status=status)


@require_GET
@role_required(*DESK_GROUPS)
def checkin(request, pk):
    session = get_object_or_404(Session, pk=pk)
    return _page(request, session, query=request.GET.get("q", "")[:100])


@require_GET
@role_required(*DESK_GROUPS)
def checkin_state(request, pk):
    """The list and the count as JSON, for the page's search and live count."""
    session = get_object_or_404(Session, pk=pk)
    rows = [{"id": r.pk, "name": f"{r.candidate.last_name} {r.candidate.first_name}", "status": r.status,
             "status_label": r.get_status_display(), "walk_in": r.walk_in, "contact": r.contact_hint}
            for r in _with_hints(_desk_list(session, request.GET.get("q", "")[:100]))]
    return JsonResponse({"counts": _counts(session), "registrations": rows})


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@require_POST
@role_required(*DESK_GROUPS)
def checkin_mark(request, pk, registration_pk):
    session = get_object_or_404(Session, pk=pk)
    registration = get_object_or_404(Registration.objects.select_related("candidate"), pk=registration_pk,
                                     session=session)
    undo = request.POST.get("undo") == "1"
    closed = services.checkin_closed_reason(session=session)
    try:
        if closed:
            raise BookingError(closed)
        if undo:
            services.registration_undo_check_in(registration=registration)
        else:
            services.registration_check_in(registration=registration, by=request.user)
    except BookingError as exc:
        if _wants_json(request):
            return JsonResponse({"error": str(exc.message)}, status=409)
        messages.error(request, exc.message)
    else:
        registration.refresh_from_db()
        if _wants_json(request):
            return JsonResponse({"id": registration.pk, "status": registration.status,
                                 "status_label": registration.get_status_display(), "counts": _counts(session),
                                 "can_undo": registration.status == Registration.Status.ATTENDED
                                 and not registration.walk_in})
        messages.success(request, _("%(name)s : %(status)s") % {"name": registration.candidate,
                                                                "status": registration.get_status_display()})
    return redirect(reverse("staff:events_staff:checkin", kwargs={"pk": session.pk}) + _keep_query(request))


def _keep_query(request) -> str:
    from urllib.parse import urlencode

    query = request.POST.get("q", "")[:100]
    return f"?{urlencode({'q': query})}" if query else ""


@require_POST
@role_required(*DESK_GROUPS)
def checkin_walk_in(request, pk):
    session = get_object_or_404(Session, pk=pk)
    closed = services.checkin_closed_reason(session=session)
    if closed:
        messages.error(request, closed)
        return redirect("staff:events_staff:checkin", pk=session.pk)
    form = WalkInForm(request.POST)
    if not form.is_valid():
        return _page(request, session, walk_in_form=form, status=400)
    data = form.cleaned_data
    candidate = services.candidate_find_or_create_at_desk(
        first_name=data["first_name"], last_name=data["last_name"], email=data["email"], profile=data["profile"],
        recorded_by=request.user)
    try:
        registration = services.registration_walk_in(session=session, candidate=candidate, by=request.user)
    except BookingError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(name)s est enregistré·e et pointé·e présent·e.") % {
            "name": registration.candidate})
    return redirect("staff:events_staff:checkin", pk=session.pk)


def _person(registration: Registration | None) -> dict:
    if registration is None:
        return {}
    candidate = registration.candidate
    return {"id": registration.pk, "name": f"{candidate.last_name} {candidate.first_name}".strip(),
            "contact": mask_email(candidate.email) or mask_phone(candidate.phone),
            "status": registration.status, "status_label": registration.get_status_display()}


@require_POST
@role_required(*DESK_GROUPS)
def checkin_ticket(request, pk):
    """Check in the holder of a scanned, typed or pasted ticket; JSON for the page, a message without JavaScript.

    Every answer the page gets is final for that scan (200 let in, 409 refused, 400 unreadable); only a
    network failure or a server error leaves it queued on the page, to be sent again with the same scan id.
    """
    session = get_object_or_404(Session, pk=pk)
    form = TicketScanForm(request.POST)
    if not form.is_valid():
        message = next(iter(form.errors.get("code", [])), None) or _("Ce scan est illisible : scannez de nouveau.")
        answer, status = {"result": "refused", "reason": "unreadable", "title": _("Refusé"), "message": message}, 400
    else:
        data = form.cleaned_data
        try:
            registration, replayed = services.registration_check_in_by_ticket(
                code=data["code"], session=session, by=request.user, scan_id=data["scan_id"],
                scanned_at=data["scanned_at"])
        except TicketError as exc:
            mine = exc.registration if exc.registration and exc.registration.session_id == session.pk else None
            answer = {"result": "refused", "reason": exc.reason, "title": _("Refusé"), "message": str(exc.message),
                      "person": _person(exc.registration)}
            status = 400 if exc.reason == "invalid" else 409
            if mine is None:
                # A ticket of another session: who it is helps the desk send them on, no more.
                answer["person"] = {k: v for k, v in answer["person"].items() if k in ("name", "contact")}
        else:
            time = arrival_time(registration.checked_in_at)
            answer = {"result": "replayed" if replayed else "checked_in", "reason": "", "title": _("Entrée validée"),
                      "message": (_("Scan déjà transmis : entrée enregistrée à %(time)s.") if replayed
                                  else _("Bienvenue ! Arrivée enregistrée à %(time)s.")) % {"time": time},
                      "person": _person(registration)}
            status = 200
    answer["counts"] = _counts(session)
    if _wants_json(request):
        return JsonResponse(answer, status=status)
    name = answer.get("person", {}).get("name")
    text = f"{name} : {answer['message']}" if name else answer["message"]
    (messages.success if status == 200 else messages.error)(request, text)
    return redirect("staff:events_staff:checkin", pk=session.pk)
