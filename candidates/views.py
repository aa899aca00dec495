"""Public candidate pages: registration with double opt-in, campaign links and "Mon espace"."""

import json
from urllib.parse import urlencode

from django.contrib import messages
from django.core import signing
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from companies import pages
from companies.forms import InterestForm
from companies.models import JobPosting
from tescforce import translated

from . import pending, selectors, services, space, tokens, wording
from .forms import CvForm, EraseForm, LinkRequestForm, ProfileForm, RegistrationForm
from .middleware import attribution, remember_attribution
from .models import Campaign, Candidate, Consent, Erasure, JobInterest

REGISTER_RATE = "20/h"
LINK_RATE = "10/h"


def _too_many(request, form, template, context=None):
    form.add_error(None, _("Trop de demandes depuis votre connexion. Réessayez dans une heure."))
    return render(request, template, {"form": form, **(context or {})}, status=429)


def _candidate_from_token(token: str, purpose: str) -> tuple[Candidate | None, dict]:
    try:
        public_id, data = tokens.read_token(token, purpose=purpose)
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None, {}
    candidate = Candidate.objects.filter(public_id=public_id, anonymised_at__isnull=True).first()
    return candidate, data


def _invalid_link(request, *, used: bool = False):
    return render(request, "candidates/link_invalid.html", {"used": used}, status=400)


# --- registration ---------------------------------------------------------------------------------

@ratelimit(key="ip", rate=REGISTER_RATE, method="POST", block=False)
def register(request):
    if request.method == "POST":
        form = RegistrationForm(request.POST, request.FILES)
        if getattr(request, "limited", False):
            return _too_many(request, form, "candidates/register.html")
        if form.is_spam():
            return redirect("candidates:register_done")
        if form.is_valid():
            data = form.cleaned_data
            services.candidate_register(
                data=data, skills=data["skills"], job_families=data["desired_job_families"], cv=data.get("cv"),
                shown_to_recruiters=data["consent_shown"], shown_on_match=data["consent_matched"],
                language=translation.get_language() or "fr",
                attribution=attribution(request), action=form.pending_action,
            )
            pending.forget_email(request)
            return redirect("candidates:register_done")
    else:
        action = pending.clean_action(request.GET.get("action"), request.GET.get("id"))
        initial = {"action": action["name"], "action_id": action["id"]} if action else {}
        if email := pending.remembered_email(request):
            initial["email"] = email
        form = RegistrationForm(initial=initial)
    action_name = form["action"].value()
    return render(request, "candidates/register.html", {
        "form": form, "action_label": pending.get_label(action_name) if action_name else None,
    })


def register_done(request):
    return render(request, "candidates/check_email.html", {"kind": "register"})


def campaign_link(request, code: str):
    """A campaign's short link: remember the campaign for the visit, then show the registration form."""
    campaign = Campaign.objects.filter(code__iexact=code).first()
    if campaign is not None:
        remember_attribution(request, {"utm_campaign": campaign.code, "utm_source": "short_link"})
    return redirect("candidates:register")


def confirm(request, token: str):
    candidate, data = _candidate_from_token(token, "confirm")
    if candidate is None:
        return _invalid_link(request)
    if request.method != "POST":
        return render(request, "candidates/confirm.html", {"token": token})
    first_time = services.candidate_confirm(candidate=candidate)
    action_ok, action_message = (False, "")
    if first_time:
        # Only the first opening signs in: the link stays in a mailbox for 7 days.
        space.sign_in(request, candidate)
        action_ok, action_message = services.pending_action_run(candidate=candidate, action=data.get("a"))
    return render(request, "candidates/confirmed.html", {
        "first_time": first_time, "action_ok": action_ok, "action_message": action_message,
        "signed_in": first_time or space.get_space_candidate(request) is not None,
    })


def action_confirm(request, token: str):
    """A known candidate confirms an action they asked for (book a seat, show interest…)."""
    candidate, data = _candidate_from_token(token, "action")
    if candidate is None or not candidate.is_confirmed or not data.get("a"):
        return _invalid_link(request)
    action = pending.clean_action(data["a"].get("name"), data["a"].get("id"))
    if request.method != "POST":
        return render(request, "candidates/action_confirm.html", {
            "token": token, "action_label": pending.get_label(action["name"]) if action else None})
    # An action link does its one thing; it does not sign in (it can be opened again for 3 days).
    ok, message = services.pending_action_run(candidate=candidate, action=data["a"])
    return render(request, "candidates/confirmed.html", {
        "first_time": False, "action_ok": ok, "action_message": message, "action_only": True,
        "signed_in": space.get_space_candidate(request) is not None})


# --- Mon espace -----------------------------------------------------------------------------------

@ratelimit(key="ip", rate=LINK_RATE, method="POST", block=False)
def space_request(request):
    if request.method == "POST":
        form = LinkRequestForm(request.POST)
        if getattr(request, "limited", False):
            return _too_many(request, form, "candidates/space/request.html")
        if form.is_spam():
            return redirect("candidates:space_sent")
        if form.is_valid():
            services.candidate_request_space_link(email=form.cleaned_data["email"],
                                                  language=translation.get_language() or "fr")
            return redirect("candidates:space_sent")
    else:
        if space.get_space_candidate(request) is not None:
            return redirect("candidates:space_home")
        form = LinkRequestForm()
    return render(request, "candidates/space/request.html", {"form": form})


def space_sent(request):
    return render(request, "candidates/check_email.html", {"kind": "space"})


def space_enter(request, token: str):
    try:
        candidate = space.sign_in_with_link(request, token)
    except space.LinkRefused as refused:
        return _invalid_link(request, used=refused.used)
    services.candidate_touch(candidate=candidate)
    # The token leaves the address bar at once, so it never leaks through a Referer header.
    return redirect("candidates:space_home")


@space.space_required
def space_home(request, *, candidate):
    sections, top_sections = [], []
    for section in space.sections():
        context = {"candidate": candidate}
        if section.get_context is not None:
            context.update(section.get_context(request, candidate) or {})
        html = render_to_string(section.template_name, context, request=request)
        if html.strip():  # a section with nothing to say takes no room
            (top_sections if section.top else sections).append(html)
    consents = {c.kind: c for c in candidate.consents.filter(withdrawn_at__isnull=True)}
    return render(request, "candidates/space/home.html", {
        "candidate": candidate,
        "bookings": space.rows("registration", candidate),
        "interests": selectors.space_interests(candidate=candidate),
        "registration_actions": space.row_actions("registration"),
        "interest_actions": space.row_actions("interest"),
        "sections": sections,
        "top_sections": top_sections,
        "processing_consent": consents.get(Consent.Kind.PROCESSING),
        "shown_consent": consents.get(Consent.Kind.SHOWN_TO_RECRUITERS),
        # An agreement to an older text of the match consent no longer counts: offered again below.
        "matched_consent": _current(consents.get(Consent.Kind.SHOWN_ON_MATCH)),
        "matched_outdated": _outdated(consents.get(Consent.Kind.SHOWN_ON_MATCH)),
        "matched_text": wording.MATCHED_TEXT,
        "matched_version": wording.MATCHED_VERSION,
        "cv_form": CvForm(),
    })


def _current(consent):
    return consent if consent is not None and consent.wording_version == wording.VERSIONS[consent.kind] else None


def _outdated(consent):
    return consent if consent is not None and _current(consent) is None else None


@space.space_required
def space_profile(request, *, candidate):
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=candidate)
        if form.is_valid():
            data = form.cleaned_data
            services.candidate_update_profile(candidate=candidate, data=data, skills=data["skills"],
                                              job_families=data["desired_job_families"])
            messages.success(request, _("Votre profil est enregistré."))
            return redirect("candidates:space_home")
    else:
        form = ProfileForm(instance=candidate)
    return render(request, "candidates/space/profile.html", {"form": form, "candidate": candidate})


@require_POST
@space.space_required
def space_cv(request, *, candidate):
    form = CvForm(request.POST, request.FILES)
    if form.is_valid():
        services.candidate_replace_cv(candidate=candidate, cv=form.cleaned_data["cv"])
        messages.success(request, _("Votre nouveau CV est enregistré."))
    else:
        for error in form.errors.get("cv", []):
            messages.error(request, error)
    return redirect("candidates:space_home")


@space.space_required
def space_cv_download(request, *, candidate):
    if not candidate.cv:
        raise Http404
    response = FileResponse(candidate.cv.open("rb"), as_attachment=True, filename="cv.pdf",
                            content_type="application/pdf")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@space.space_required
def space_consents(request, *, candidate):
    choice = request.POST.get("shown")
    if choice == "withdraw":
        services.consent_withdraw(candidate=candidate, kind=Consent.Kind.SHOWN_TO_RECRUITERS)
        messages.success(request, _("Les recruteurs ne verront plus votre profil."))
    elif choice == "give":
        services.consent_give(candidate=candidate, kind=Consent.Kind.SHOWN_TO_RECRUITERS)
        messages.success(request, _("Votre profil pourra être présenté aux recruteurs."))
    matched = request.POST.get("matched")
    if matched == "withdraw":
        services.consent_withdraw(candidate=candidate, kind=Consent.Kind.SHOWN_ON_MATCH)
        messages.success(request, _("Les entreprises dont les offres correspondent à votre profil ne verront plus "
                                    "votre profil, et vos entretiens de job dating à venir sont annulés."))
    elif matched == "give":
        services.consent_give(candidate=candidate, kind=Consent.Kind.SHOWN_ON_MATCH)
        messages.success(request, _("Votre profil pourra être montré aux entreprises dont les offres correspondent "
                                    "à votre profil."))
    return redirect("candidates:space_home")


@space.space_required
def space_export(request, *, candidate):
    data = selectors.candidate_export_data(candidate=candidate)
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2, default=str),
                            content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mes-donnees-tescforce.json"'
    return response


@space.space_required
def space_erase(request, *, candidate):
    if request.method == "POST":
        form = EraseForm(request.POST)
        if form.is_valid():
            services.candidate_erase(candidate=candidate, reason=Erasure.Reason.REQUEST)
            request.session.flush()
            return render(request, "candidates/space/erased.html")
    else:
        form = EraseForm()
    return render(request, "candidates/space/erase.html", {"form": form, "candidate": candidate})


@require_POST
def space_logout(request):
    space.sign_out(request)
    messages.info(request, _("Vous avez quitté votre espace."))
    return redirect("candidates:space_request")


# --- interest in a job posting ("I'm interested" on the board) -----------------------------------

def _registration_url(posting: JobPosting) -> str:
    """The registration page carrying the pending interest (see candidates/pending.py)."""
    return f"{reverse('candidates:register')}?{urlencode({'action': 'job_interest', 'id': posting.pk})}"


@require_POST
@ratelimit(key="ip", rate="10/h", method="POST", block=False)
def posting_interest(request, slug):
    posting = pages.public_posting(slug)
    if getattr(request, "limited", False):
        messages.error(request, _("Trop de demandes depuis votre connexion. Réessayez dans une heure."))
        return redirect(posting)
    if not posting.is_open:
        messages.error(request, _("Cette offre n'est plus ouverte."))
        return redirect(posting)
    form = InterestForm(request.POST)
    if not form.is_valid():
        return pages.render_posting(request, slug, form, status=400)
    if not form.is_spam():
        services.job_interest_request(posting=posting, email=form.cleaned_data["email"],
                                      language=translation.get_language())
        # "M'inscrire et garder cette offre" on the next page then opens registration with it filled in.
        pending.remember_email(request, form.cleaned_data["email"])
    # The same answer whether the address is known or not.
    return redirect(reverse("candidates:interest_sent", kwargs={"slug": posting.slug}))


@require_POST
def space_interest(request, slug):
    """Record the signed-in candidate's interest in one click: no e-mail to type, no link to follow.

    No confirmation step: the interest only tells the company's recruiters (and them only if the person
    agreed to be shown), and the page says so next to the button.
    """
    posting = pages.public_posting(slug)
    candidate = space.get_space_candidate(request)
    if candidate is None:
        messages.error(request, _("Votre session « Mon espace » a pris fin : indiquez votre e-mail, "
                                  "ou reconnectez-vous à votre espace."))
        return redirect(posting)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = posting.get_absolute_url()
    already = JobInterest.objects.filter(candidate=candidate, posting=posting, confirmed_at__isnull=False).exists()
    try:
        with transaction.atomic():
            services.job_interest_create(candidate=candidate, posting=posting)
    except services.CandidateError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    if already:
        messages.info(request, _("Vous aviez déjà signalé votre intérêt pour « %(title)s ».")
                      % {"title": translated.text(posting, "title")})
    else:
        messages.success(request, _("Votre intérêt pour l'offre « %(title)s » (%(company)s) est transmis.") % {
            "title": translated.text(posting, "title"), "company": posting.company.name})
    return redirect(back)


@require_GET
def interest_sent(request, slug):
    posting = pages.public_posting(slug)
    return render(request, "candidates/interest/sent.html", {
        "posting": posting, "registration_url": _registration_url(posting)})


def _interest_from_token(token: str) -> tuple[Candidate, JobPosting]:
    public_id, data = tokens.read_token(token, purpose="action")
    if data.get("action") != "job_interest" or not isinstance(data.get("posting"), int):
        raise signing.BadSignature("not a job interest")
    candidate = Candidate.objects.filter(public_id=public_id, anonymised_at__isnull=True,
                                         confirmed_at__isnull=False).first()
    posting = JobPosting.objects.select_related("company").filter(pk=data["posting"]).first()
    if candidate is None or posting is None:
        raise signing.BadSignature("unknown candidate or posting")
    return candidate, posting


@require_http_methods(["GET", "POST"])
def interest_confirm(request, token):
    # GET only shows a button: mail scanners open links, and showing interest must be the person's act.
    try:
        candidate, posting = _interest_from_token(token)
    except (signing.BadSignature, ValueError):
        return render(request, "candidates/interest/link_invalid.html", status=400)
    if request.method == "GET":
        return render(request, "candidates/interest/confirm.html", {"posting": posting, "candidate": candidate})
    try:
        with transaction.atomic():
            services.job_interest_create(candidate=candidate, posting=posting)
    except services.CandidateError as exc:
        messages.error(request, str(exc))
        return redirect(posting if posting.status != JobPosting.Status.DRAFT else reverse("companies:posting_list"))
    return render(request, "candidates/interest/done.html", {"posting": posting, "candidate": candidate})


def job_interest_pending(candidate, data: dict) -> str:
    """Record an interest asked for before registration, once the e-mail is confirmed."""
    raw = data.get("id", data.get("posting"))
    posting = JobPosting.objects.select_related("company").filter(
        pk=int(raw) if str(raw).isdigit() else None).first()
    if posting is None:
        raise services.CandidateError(_("Cette offre n'existe plus."))
    services.job_interest_create(candidate=candidate, posting=posting)
    return _("Votre intérêt pour l'offre « %(title)s » (%(company)s) est transmis.") % {
        "title": translated.text(posting, "title"), "company": posting.company.name}
