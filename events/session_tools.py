"""A session's print-outs, before the day: sheets of badges, and each company's list of the candidates it will meet.

Who opens what: badges, coordinators and the hotline (who run the welcome desk and already see the bookings);
the companies' lists, coordinators (every company) and each company's recruiters (their own company's list only,
a 404 for another's). The hotline and prospecting officers never see a company's list.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from tescforce import pdf, roles
from tescforce.exports import spreadsheet_response
from tescforce.permissions import is_coordinator, role_required
from tescforce.scoping import recruiter_company_id

from . import badges, company_lists, services
from .errors import BookingError
from .forms import BadgeOptionsForm
from .models import MessageSent, Session, SessionCompany
from .staff_views import DESK_GROUPS

LIST_GROUPS = (roles.COORDINATORS, roles.RECRUITERS)


# --- badges -----------------------------------------------------------------------------------------------

@require_GET
@never_cache
@role_required(*DESK_GROUPS)
def session_badges(request, pk):
    """The options page; with `print` in the query, the PDF of the sheets of labels."""
    session = get_object_or_404(Session, pk=pk)
    closed = badges.session_badges_error(session)
    form = BadgeOptionsForm(request.GET if "print" in request.GET and not closed else None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            sheets = badges.badge_sheets(session=session, who=data["who"], blanks=data["blanks"] or 0,
                                         with_qr=data["with_qr"], skip=(data["first_label"] or 1) - 1)
        except BookingError as refusal:
            form.add_error(None, refusal.message)
        else:
            document = badges.badges_document(session=session, sheets=sheets, language=translation.get_language(),
                                              outline=data["outline"])
            return pdf.pdf_response(document.write_pdf(), filename=f"badges-session-{session.pk}")
    return render(request, "events/staff/badges.html", {
        "session": session, "closed": closed, "form": form, "sheet": badges.SHEET,
        "attendees": len(badges.attendee_badges(session, with_qr=False)),
        "staff": len(badges.staff_badges(session)),
        "without_staff": badges.companies_without_staff(session), "coordinator": is_coordinator(request.user),
    })


# --- the companies' lists -----------------------------------------------------------------------------------

def _participation_for(request, session: Session, company_pk: int) -> SessionCompany:
    """The company's place at the session, if the user may read its list: a recruiter, only their own company's."""
    own = recruiter_company_id(request.user)
    if own is not None and own != company_pk:
        raise Http404  # another company's list does not exist for this recruiter
    return get_object_or_404(SessionCompany.objects.select_related("company"), session=session, company_id=company_pk)


@require_GET
@never_cache
@role_required(roles.COORDINATORS)
def session_lists(request, pk):
    """Coordinators: every company's list for the session, its downloads, and the notice to recruiters."""
    session = get_object_or_404(Session, pk=pk)
    closed = company_lists.list_error(session)
    lists = [] if closed else company_lists.company_lists(session=session)
    told = set(MessageSent.objects.filter(session=session, kind=MessageSent.Kind.COMPANY_LIST)
               .values_list("recruiter_id", flat=True))
    return render(request, "events/staff/company_lists.html", {
        "session": session, "closed": closed, "lists": lists, "told": len(told),
        "recruiters": len(services.session_recruiters(session)),
    })


@require_GET
@never_cache
@role_required(roles.COORDINATORS)
def session_lists_pdf(request, pk):
    """Coordinators: every company's list in one PDF, each from a new page."""
    session = get_object_or_404(Session, pk=pk)
    closed = company_lists.list_error(session)
    lists = [] if closed else company_lists.company_lists(session=session)
    if closed or not lists:
        messages.error(request, closed or _no_company())
        return redirect("staff:events_staff:session_lists", pk=session.pk)
    document = company_lists.lists_document(session=session, lists=lists, language=translation.get_language())
    return pdf.pdf_response(document.write_pdf(), filename=f"listes-entreprises-session-{session.pk}")


def _no_company() -> str:
    return translation.gettext("Aucune entreprise n'est inscrite à cette session : ajoutez-les sur la fiche de la "
                               "session (« Entreprises présentes »).")


@require_POST
@role_required(roles.COORDINATORS)
def session_lists_send(request, pk):
    """Coordinators: e-mail each recruiter of the session's companies a link to their list (once each)."""
    session = get_object_or_404(Session, pk=pk)
    try:
        told = services.company_lists_announce(session=session)
    except BookingError as refusal:
        messages.error(request, refusal.message)
    else:
        if told:
            messages.success(request, translation.ngettext(
                "%(n)s recruteur·euse va recevoir le lien vers la liste de son entreprise.",
                "%(n)s recruteur·euses vont recevoir le lien vers la liste de leur entreprise.", told) % {"n": told})
        else:
            messages.info(request, translation.gettext(
                "Personne de plus à prévenir : chaque recruteur·euse des entreprises présentes a déjà reçu le lien, "
                "ou aucune entreprise n'a de recruteur·euse avec une adresse e-mail."))
    return redirect("staff:events_staff:session_lists", pk=session.pk)


def _company_list(request, pk, company_pk):
    session = get_object_or_404(Session, pk=pk)
    participation = _participation_for(request, session, company_pk)
    closed = company_lists.list_error(session)
    listed = None if closed else company_lists.company_list(session=session, participation=participation)
    return session, participation, closed, listed


@require_GET
@never_cache
@role_required(*LIST_GROUPS)
def company_list(request, pk, company_pk):
    """One company's list: a coordinator for any company present, a recruiter for their own company only."""
    session, participation, closed, listed = _company_list(request, pk, company_pk)
    return render(request, "events/staff/company_list.html", {
        "session": session, "participation": participation, "closed": closed, "list": listed,
        "coordinator": is_coordinator(request.user), "now_at": timezone.now(),
    })


def _download_refused(request, session, participation, closed, listed):
    if closed or not listed.rows:
        messages.error(request, closed or translation.gettext("Personne à présenter à cette entreprise pour "
                                                              "l'instant : rien à télécharger."))
        return redirect(reverse("staff:events_staff:company_list", kwargs={
            "pk": session.pk, "company_pk": participation.company_id}))
    return None


@require_GET
@never_cache
@role_required(*LIST_GROUPS)
def company_list_pdf(request, pk, company_pk):
    session, participation, closed, listed = _company_list(request, pk, company_pk)
    refused = _download_refused(request, session, participation, closed, listed)
    if refused:
        return refused
    document = company_lists.lists_document(session=session, lists=[listed], language=translation.get_language())
    return pdf.pdf_response(document.write_pdf(),
                            filename=f"candidats-session-{session.pk}-{participation.company.slug or company_pk}")


@require_GET
@never_cache
@role_required(*LIST_GROUPS)
def company_list_csv(request, pk, company_pk):
    session, participation, closed, listed = _company_list(request, pk, company_pk)
    refused = _download_refused(request, session, participation, closed, listed)
    if refused:
        return refused
    return spreadsheet_response(headers=company_lists.csv_headers(), rows=company_lists.csv_rows(listed),
                                filename=f"candidats-session-{session.pk}-{participation.company.slug or company_pk}")
