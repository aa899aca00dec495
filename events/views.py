from urllib.parse import urlencode

from django.contrib import messages
from django.core import signing
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import get_template, render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from candidates.models import Candidate
from candidates.services import link_email_claim
from candidates.space import get_space_candidate, link_is_current, space_required
from candidates.tokens import read_token
from tescforce import page_cache, translated
from tescforce.ical import ics_response
from tescforce.tasks import enqueue_on_commit

from . import ical, selectors, services, tickets
from .forms import BookingForm, SessionCityFilter, SurveyForm
from .links import read_link_token
from .models import Registration, Session
from .services import BookingError
from .tasks import send_booking_link


def _bad_link(request, status=400):
    return render(request, "events/link_invalid.html", status=status)


SESSIONS_PER_PAGE = 30
# The query parameters the list reads; any other is ignored (tescforce/page_cache.py).
SESSION_LIST_PARAMS = ("city", "page")


@require_GET
def session_list(request):
    # The list (filter and sessions) is the same for every visitor of this URL: cached until a change.
    def render_list(params):
        return _render_session_list(request, params)

    content = page_cache.cached_list("sessions", request, SESSION_LIST_PARAMS, render_list)
    return render(request, "events/session_list.html", {"content": mark_safe(content)})  # noqa: S308 (our render)


def _render_session_list(request, params):
    cities = selectors.session_cities()
    form = SessionCityFilter(params or None, cities=cities)
    city = form.cleaned_data["city"] if form.is_valid() else ""
    # Grouped by city in the page, soonest first inside each city; seats are counted for this page only.
    base = Session.objects.filter(is_published=True, starts_at__gt=timezone.now())
    if city:
        base = base.filter(city__iexact=city)
    page = Paginator(base.order_by("city", "starts_at", "pk").values_list("pk", "city"), SESSIONS_PER_PAGE).get_page(
        params.get("page"))
    # Each card is rendered once per version of the sessions' data (every booking moves it, so the seats
    # left are current) and shared by every list that shows it.
    rows = list(page)
    shown = page_cache.cached_items_by_id(("sessions",), "session-card", [pk for pk, _ in rows], _render_cards)
    groups: list[tuple[str, list[str]]] = []
    for pk, session_city in rows:
        if pk not in shown:
            continue  # deleted meanwhile
        if not groups or groups[-1][0] != session_city:
            groups.append((session_city, []))
        groups[-1][1].append(shown[pk])
    content = render_to_string("events/_session_list_content.html", {
        "groups": groups, "form": form, "city": city, "page": page,
        "querystring": urlencode({"city": city}) if city else ""}, request=request)
    return content, page_cache.shown_query(params, page.number, valid=not form.is_bound or form.is_valid())


def _render_cards(ids: list[int]) -> dict[int, str]:
    card = get_template("events/_session_card.html")
    return {session.pk: card.render({"session": session})
            for session in selectors.session_upcoming().filter(pk__in=ids)}


def _public_session(pk: int) -> Session:
    return get_object_or_404(selectors.session_upcoming(), pk=pk)


def _page(request, pk: int) -> dict:
    """The session page's parts that are the same for every visitor, cached (tescforce/page_cache.py);
    "sessions" moves with every booking, so the seats left are current. Raises Http404."""
    def build() -> dict:
        session = _public_session(pk)
        context = {
            "session": session,
            "participations": session.company_participations.select_related("company")
            .prefetch_related("postings").order_by("company__name"),
            "partners": session.partner_participations.select_related("partner").order_by("partner__name"),
        }
        return {"pk": session.pk, "title": translated.text(session, "title"), "seats_left": session.seats_left,
                "cancelled": session.is_cancelled,
                "main": render_to_string("events/_session_main.html", context, request)}
    return page_cache.cached_parts(("session", "sessions"), f"session:{pk}", build)


def _detail(request, pk: int, form: BookingForm, status: int = 200):
    page = _page(request, pk)
    context = {"page": page, "form": form}
    # Someone signed in to Mon espace books in one click, or sees the booking they already hold.
    person = get_space_candidate(request)
    if person is not None:
        context["space_person"] = person
        context["my_registration"] = (Registration.objects.filter(
            session_id=page["pk"], candidate=person,
            status__in=(Registration.Status.CONFIRMED, Registration.Status.WAITLISTED)).first())
    return render(request, "events/session_detail.html", context, status=status)


@require_GET
def session_detail(request, pk):
    return _detail(request, pk, BookingForm())


def _registration_url(session: Session) -> str | None:
    """Return the registration page carrying the pending booking, if the candidates app serves one."""
    try:
        url = reverse("candidates:register")
    except NoReverseMatch:
        return None
    return f"{url}?{urlencode({'action': 'book_session', 'id': session.pk})}"


@require_POST
@ratelimit(key="ip", rate="10/h", method="POST", block=False)
def session_book(request, pk):
    session = _public_session(pk)
    if getattr(request, "limited", False):
        messages.error(request, _("Trop de demandes depuis votre connexion. Réessayez dans une heure."))
        return redirect(session)
    form = BookingForm(request.POST)
    if not form.is_valid():
        return _detail(request, pk, form, status=400)
    if not form.is_spam():
        candidate = Candidate.objects.with_email(form.cleaned_data["email"]).filter(
            anonymised_at__isnull=True, confirmed_at__isnull=False).first()
        if candidate is not None and link_email_claim(candidate=candidate, purpose=f"book_session:{session.pk}"):
            enqueue_on_commit(send_booking_link, candidate.pk, session.pk, translation.get_language())
    # The same answer whether the address is known or not.
    return redirect(reverse("events:book_sent", kwargs={"pk": session.pk}))


@require_POST
def space_book(request, pk):
    """Book for the candidate signed in to Mon espace, in one click: no e-mail to type, no link to follow."""
    session = _public_session(pk)
    candidate = get_space_candidate(request)
    if candidate is None:
        messages.error(request, _("Votre session « Mon espace » a pris fin : réservez avec votre e-mail, "
                                  "ou reconnectez-vous à votre espace."))
        return redirect(session)
    try:
        registration = services.registration_book(session=session, candidate=candidate)
    except BookingError as exc:
        messages.error(request, exc.message)
        return redirect(session)
    return render(request, "events/book_done.html", {
        "session": session, "registration": registration,
        "position": selectors.waitlist_position(registration)})


@require_GET
def book_sent(request, pk):
    session = _public_session(pk)
    return render(request, "events/book_sent.html", {
        "session": session, "registration_url": _registration_url(session)})


def _candidate_from_action(token: str) -> tuple[Candidate, dict]:
    public_id, data = read_token(token, purpose="action")
    candidate = Candidate.objects.filter(public_id=public_id, anonymised_at__isnull=True).first()
    if candidate is None or data.get("action") != "book_session" or not isinstance(data.get("session"), int):
        raise signing.BadSignature("unknown candidate or action")
    return candidate, data


@require_http_methods(["GET", "POST"])
def book_confirm(request, token):
    # GET only shows a button: mail scanners open links, and a booking must be a person's act.
    try:
        candidate, data = _candidate_from_action(token)
    except signing.BadSignature:
        return _bad_link(request)
    session = get_object_or_404(Session, pk=data["session"], is_published=True)
    if request.method == "GET":
        return render(request, "events/book_confirm.html", {"session": session, "candidate": candidate})
    try:
        registration = services.registration_book(session=session, candidate=candidate)
    except BookingError as exc:
        messages.error(request, exc.message)
        return redirect(reverse("events:session_list"))
    return render(request, "events/book_done.html", {
        "session": session, "registration": registration,
        "position": selectors.waitlist_position(registration)})


def book_session_pending(candidate, data: dict) -> str:
    """Run a booking asked for before registration, once the e-mail is confirmed (data: {"id": "<pk>"})."""
    ident = str(data.get("id", ""))
    session = Session.objects.filter(pk=int(ident), is_published=True).first() if ident.isdigit() else None
    if session is None:
        raise BookingError(_("Cette session n'existe plus."))
    registration = services.registration_book(session=session, candidate=candidate)
    if registration.status == Registration.Status.WAITLISTED:
        return _("La session « %(title)s » est complète : vous êtes sur liste d'attente, en position %(pos)s.") % {
            "title": translated.text(session, "title"), "pos": selectors.waitlist_position(registration)}
    return _("Votre place est réservée pour « %(title)s ».") % {"title": translated.text(session, "title")}


@require_http_methods(["GET", "POST"])
def booking_cancel(request, token):
    try:
        registration_id = read_link_token(token, purpose="cancel")
    except signing.BadSignature:
        return _bad_link(request)
    registration = Registration.objects.select_related("session", "candidate").filter(
        pk=registration_id, candidate__anonymised_at__isnull=True).first()
    if registration is None:
        return _bad_link(request, status=404)
    if request.method == "POST":
        try:
            services.registration_cancel(registration=registration)
        except BookingError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Votre réservation est annulée. Merci d'avoir libéré votre place."))
        registration.refresh_from_db()
    return render(request, "events/booking_cancel.html", {"registration": registration,
                                                          "session": registration.session})


# A mail client's one-click unsubscribe (RFC 8058) posts without a cookie or CSRF token: the signed token in
# the address is what allows it. GET only shows the confirmation, so a link checker stops nothing.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def messages_stop(request, token):
    try:
        registration_id = read_link_token(token, purpose="stop")
    except signing.BadSignature:
        return _bad_link(request)
    registration = Registration.objects.select_related("session").filter(
        pk=registration_id, candidate__anonymised_at__isnull=True).first()
    if registration is None:
        return _bad_link(request, status=404)
    stopped = request.method == "POST"
    if stopped:
        services.registration_messages_stop(registration=registration)
    return render(request, "events/messages_stop.html", {"session": registration.session, "stopped": stopped})


def _space_candidate(request):
    """The candidate signed in to "Mon espace", or the one a signed space token names."""
    candidate = get_space_candidate(request)
    if candidate is not None:
        return candidate
    # A Mon espace link not spent yet (one spent, or killed by a logout, no longer names anyone).
    return link_is_current(str(request.POST.get("token", "")))


@require_POST
def space_cancel(request):
    """Cancel a booking from "Mon espace"; only the signed-in candidate's own bookings."""
    candidate = _space_candidate(request)
    if candidate is None:
        return _bad_link(request, status=403)
    ident = str(request.POST.get("registration", ""))
    registration = Registration.objects.filter(pk=int(ident), candidate=candidate).first() if ident.isdigit() \
        else None
    if registration is None:
        return _bad_link(request, status=404)
    try:
        services.registration_cancel(registration=registration)
    except BookingError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Votre réservation est annulée. Merci d'avoir libéré votre place."))
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        return redirect(next_url)
    try:
        return redirect(reverse("candidates:space_home"))
    except NoReverseMatch:
        return redirect(reverse("events:session_list"))


@require_GET
def session_ics(request, pk):
    session = get_object_or_404(Session, pk=pk, is_published=True)
    return ics_response(ical.sessions_calendar([session]), filename=f"session-{session.pk}.ics")


@require_GET
def sessions_feed(request):
    sessions = Session.objects.filter(is_published=True, starts_at__gt=timezone.now()).order_by("starts_at")
    return ics_response(ical.sessions_calendar(sessions, name=_("Sessions Numéric Emploi")),
                        filename="sessions-numeric-emploi.ics")


@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate="20/h", method="POST", block=False)
def survey(request, token):
    try:
        registration_id = read_link_token(token, purpose="survey")
    except signing.BadSignature:
        return _bad_link(request)
    registration = get_object_or_404(Registration.objects.select_related("session"), pk=registration_id,
                                     status=Registration.Status.ATTENDED, candidate__anonymised_at__isnull=True)
    if hasattr(registration, "survey"):
        return render(request, "events/survey_done.html", {"session": registration.session})
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and getattr(request, "limited", False):
        form.add_error(None, _("Trop de demandes depuis votre connexion. Réessayez dans une heure."))
    elif request.method == "POST" and form.is_valid():
        try:
            services.survey_submit(registration=registration, **form.cleaned_data)
        except BookingError as exc:
            form.add_error(None, exc.message)
        else:
            return render(request, "events/survey_done.html", {"session": registration.session})
    return render(request, "events/survey.html", {"form": form, "session": registration.session},
                  status=400 if form.errors else 200)


def _own_ticket(candidate, pk: int) -> Registration:
    """The signed-in candidate's own confirmed booking; anyone else's, or one without a ticket, is a 404."""
    registration = (Registration.objects.select_related("session", "candidate")
                    .filter(pk=pk, candidate=candidate).first())
    if registration is None or not tickets.has_ticket(registration):
        raise Http404
    return registration


@require_GET
@never_cache
@space_required
def space_ticket(request, pk, candidate):
    """"Mon billet": the QR code and code of a confirmed booking, for its owner signed in to Mon espace."""
    registration = _own_ticket(candidate, pk)
    return render(request, "events/ticket.html", tickets.ticket_context(registration))


@require_GET
@never_cache
@space_required
def space_ticket_pdf(request, pk, candidate):
    registration = _own_ticket(candidate, pk)
    pdf = tickets.ticket_pdf(registration, language=translation.get_language())
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="billet-tescforce-{registration.session_id}.pdf"'
    return response
