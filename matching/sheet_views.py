"""The recruiter's interview sheet on the day of a job dating, phone first: from their signed link or signed in.

Both ways lead to the same pages; `_Access` says whose sheet it is (the recruiter's user and company, the
session) and how to build its addresses. A scorecard is saved by a plain form POST (no JavaScript: the whole
card, then back to the sheet) or by the page's autosave, a PATCH of the fields typed (JSON in, JSON out).
"""

import json
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from events.models import Session
from tescforce import permissions
from tescforce.permissions import role_required
from tescforce.scoping import recruiter_company_id

from . import scorecards
from .forms import ScorecardForm
from .models import JobDatingAgenda, Scorecard
from .sheet_links import SheetError, last_day, sheet_link_read


@dataclass
class _Access:
    user: object  # the recruiter's user: the "who" of every change
    company_id: int
    company_name: str
    agenda: JobDatingAgenda
    token: str = ""  # set when the sheet was opened from a signed link

    @property
    def session(self) -> Session:
        return self.agenda.session

    def url(self, name: str, *args) -> str:
        if self.token:
            return reverse(f"staff:matching_sheet_link{name}", args=[self.token, *args])
        return reverse(f"staff:matching_sheet{name}", args=[self.session.pk, *args])


def _signed_in(request, session_pk: int) -> _Access:
    company_id = recruiter_company_id(request.user)
    agenda = scorecards.sheet_agenda(company_id=company_id, session_id=session_pk) if company_id else None
    if agenda is None:
        raise Http404
    recruiter = request.user.recruiter
    return _Access(user=request.user, company_id=company_id, company_name=recruiter.company.name, agenda=agenda)


def _by_link(request, token: str) -> _Access:
    link = sheet_link_read(token)  # raises SheetError
    if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
        # Opened from the e-mail: the page speaks the recruiter's language until they pick one.
        translation.activate(link.recruiter.language or settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()
    return _Access(user=link.recruiter.user, company_id=link.company_id, company_name=link.company.name,
                   agenda=link.agenda, token=token)


def _refused(request, exc: SheetError):
    if _wants_json(request):
        return JsonResponse({"error": str(exc.message), "reason": exc.code}, status=403)
    response = render(request, "matching/sheet_refused.html", {"message": exc.message, "reason": exc.code},
                      status=403)
    response["Cache-Control"] = "no-store"
    return response


def _wants_json(request) -> bool:
    return request.method == "PATCH" or "application/json" in request.headers.get("Accept", "")


# --- the sheet ----------------------------------------------------------------------------------------

def _render_sheet(request, access: _Access, *, forms=None, status=200):
    rows = scorecards.sheet_rows(company_id=access.company_id, session=access.session)
    forms = forms or {}
    for row in rows:
        pk = row.interview.pk
        row.form = forms.get(pk) or ScorecardForm(initial=ScorecardForm.initial_from(row.scorecard), prefix=f"i{pk}")
        row.save_url = access.url("_scorecard", pk)
        row.cv_url = access.url("_cv", pk) if row.cv else ""
    now = timezone.now()
    upcoming = next((r.interview.pk for r in rows if r.interview.ends_at > now), None)
    response = render(request, "matching/sheet.html", {
        "access": access, "session": access.session, "rows": rows, "open_pk": upcoming,
        "signed_link": bool(access.token), "last_day": last_day(access.session),
        "filled": sum(1 for r in rows if r.scorecard is not None),
    }, status=status)
    # Names and notes about people: never kept by a shared cache or the browser's back-forward store.
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@role_required(test=permissions.is_recruiter)
def sessions(request):
    """A signed-in recruiter's job datings with interviews, past ones too, the latest first: each opens its sheet."""
    company_id = recruiter_company_id(request.user)
    agendas = scorecards.sheet_agendas(company_id=company_id, limit=30) if company_id else []
    return render(request, "matching/sheet_sessions.html", {"agendas": agendas})


@require_GET
@role_required(test=permissions.is_recruiter)
def sheet(request, session_pk: int):
    return _render_sheet(request, _signed_in(request, session_pk))


@require_GET
def sheet_by_link(request, token: str):
    try:
        access = _by_link(request, token)
    except SheetError as exc:
        return _refused(request, exc)
    return _render_sheet(request, access)


# --- one scorecard ------------------------------------------------------------------------------------

def _save(request, access: _Access, interview_pk: int):
    interview = scorecards.sheet_interview(company_id=access.company_id, session=access.session, pk=interview_pk)
    if interview is None:
        if _wants_json(request):
            return JsonResponse({"error": _("Cet entretien n'est pas sur votre fiche.")}, status=404)
        raise Http404
    if request.method == "PATCH":
        return _save_fields(request, access, interview)
    form = ScorecardForm(request.POST, prefix=f"i{interview.pk}")
    if not form.is_valid():
        messages.error(request, _("Fiche non enregistrée (%(name)s) : corrigez ce qui est signalé.")
                       % {"name": interview.candidate})
        return _render_sheet(request, access, forms={interview.pk: form}, status=400)
    try:
        scorecards.scorecard_save(interview=interview, data=form.cleaned_data, by=access.user)
    except SheetError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Fiche enregistrée : %(name)s.") % {"name": interview.candidate})
    return redirect(f"{access.url('')}#entretien-{interview.pk}")


def _save_fields(request, access: _Access, interview):
    try:
        payload = json.loads(request.body.decode("utf-8") or "{}")
    except (UnicodeDecodeError, ValueError):
        payload = None
    if not isinstance(payload, dict) or not payload or any(
            name not in scorecards.FIELDS or not isinstance(value, str | int | type(None)) or isinstance(value, bool)
            for name, value in payload.items()):
        return JsonResponse({"error": _("Enregistrement refusé : données illisibles.")}, status=400)
    data = {name: "" if value is None else value for name, value in payload.items()}
    form = ScorecardForm(data, only=list(data))
    if not form.is_valid():
        errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
        first = next(iter(errors.values()))[0]
        return JsonResponse({"error": first, "errors": errors}, status=400)
    try:
        card = scorecards.scorecard_save(interview=interview, data=form.cleaned_data, by=access.user)
    except SheetError as exc:
        return JsonResponse({"error": str(exc.message), "reason": exc.code}, status=409)
    at = time_format(timezone.localtime(card.updated_at), "H:i")
    return JsonResponse({"saved": list(form.cleaned_data), "at": at,
                         "message": _("Enregistré à %(time)s") % {"time": at},
                         "summary": _summary(card)})


def _summary(card: Scorecard) -> str:
    parts = [card.get_rating_display() if card.rating else "", card.get_next_step_display() if card.next_step else ""]
    return " · ".join(str(p) for p in parts if p)


@require_http_methods(["POST", "PATCH"])
@role_required(test=permissions.is_recruiter)
def scorecard(request, session_pk: int, interview_pk: int):
    return _save(request, _signed_in(request, session_pk), interview_pk)


@require_http_methods(["POST", "PATCH"])
def scorecard_by_link(request, token: str, interview_pk: int):
    try:
        access = _by_link(request, token)
    except SheetError as exc:
        return _refused(request, exc)
    return _save(request, access, interview_pk)


# --- the CV -------------------------------------------------------------------------------------------

def _cv(access: _Access, interview_pk: int):
    interview = scorecards.sheet_interview(company_id=access.company_id, session=access.session, pk=interview_pk)
    if interview is None or not scorecards.cv_shareable(interview):
        raise Http404
    candidate = interview.candidate
    response = FileResponse(candidate.cv.open("rb"), as_attachment=True, filename=f"cv-{candidate.pk}.pdf",
                            content_type="application/pdf")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@role_required(test=permissions.is_recruiter)
def cv(request, session_pk: int, interview_pk: int):
    return _cv(_signed_in(request, session_pk), interview_pk)


@require_GET
def cv_by_link(request, token: str, interview_pk: int):
    try:
        access = _by_link(request, token)
    except SheetError as exc:
        return _refused(request, exc)
    return _cv(access, interview_pk)

