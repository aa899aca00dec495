"""The check-in desk on the day: find a person, mark them present, register walk-ins."""

import datetime as dt

from django.contrib import messages
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tescforce import roles
from tescforce.permissions import role_required

from . import services
from .forms import WalkInForm
from .models import Registration, Session
from .services import BookingError

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


@require_GET
@role_required(*DESK_GROUPS)
def checkin(request, pk):
    session = get_object_or_404(Session, pk=pk)
    query = request.GET.get("q", "")[:100]
    return render(request, "events/staff/checkin.html", {
        "session": session, "registrations": _with_hints(_desk_list(session, query)), "query": query,
        "counts": _counts(session), "walk_in_form": WalkInForm(),
        "closed_reason": services.checkin_closed_reason(session=session)})


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
            services.registration_check_in(registration=registration)
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
        return render(request, "events/staff/checkin.html", {
            "session": session, "registrations": _with_hints(_desk_list(session)), "query": "",
            "counts": _counts(session), "walk_in_form": form, "closed_reason": None}, status=400)
    data = form.cleaned_data
    candidate = services.candidate_find_or_create_at_desk(
        first_name=data["first_name"], last_name=data["last_name"], email=data["email"], profile=data["profile"],
        recorded_by=request.user)
    try:
        registration = services.registration_walk_in(session=session, candidate=candidate)
    except BookingError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(name)s est enregistré·e et pointé·e présent·e.") % {
            "name": registration.candidate})
    return redirect("staff:events_staff:checkin", pk=session.pk)
