"""Hotline pages: the staff quick-log tool under /pilotage/hotline/ and the public contact pages."""

import uuid

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from candidates import search, space
from candidates.models import Candidate
from tescforce import permissions
from tescforce.permissions import role_required

from . import forms, selectors, services
from .forms import (
    CallbackRequestForm,
    CallForm,
    NewCandidateForm,
    RelocationSpaceForm,
    RelocationStaffForm,
    RelocationUpdateForm,
    SearchForm,
)
from .models import CallbackRequest, HotlineCall, RelocationRequest

CONTACT_RATE = "5/h"




def _get_candidate(public_id) -> Candidate:
    try:
        public_id = uuid.UUID(str(public_id))
    except ValueError:
        raise Http404 from None
    candidate = selectors.candidate_for_hotline(public_id=public_id)
    if candidate is None:
        raise Http404
    return candidate


@role_required(test=permissions.can_see_hotline)
def home(request):
    form = SearchForm(request.GET or None)
    results, callers, callbacks, searched, too_short = [], [], [], False, False
    if form.is_valid() and form.cleaned_data["q"].strip():
        searched = True
        query = form.cleaned_data["q"]
        too_short = not search.normalise_query(query).usable
        results = selectors.caller_search(query=query, limit=selectors.SEARCH_LIMIT + 1)
        callers = selectors.unregistered_caller_search(query=query)
        callbacks = selectors.callback_request_search(query=query)
    context = {
        "form": form, "results": results[: selectors.SEARCH_LIMIT], "more": len(results) > selectors.SEARCH_LIMIT,
        "callers": callers, "callbacks": callbacks,
        "searched": searched, "too_short": too_short, "min_length": search.MIN_TOKEN_LENGTH,
    }
    return render(request, "hotline/home.html", context)


@role_required(test=permissions.can_see_hotline)
def call_new(request):
    """Log a call for a known candidate (?candidate=), an unknown caller, or a call-back (?callback=)."""
    candidate = _get_candidate(request.GET["candidate"]) if request.GET.get("candidate") else None
    callback = None
    if request.GET.get("callback"):
        callback = get_object_or_404(CallbackRequest, pk=request.GET["callback"] if request.GET["callback"].isdigit()
                                     else 0)
        if callback.handled_at:
            messages.info(request, _("Cette demande de rappel a déjà été traitée."))
            return redirect("staff:hotline_queue")
    initial = {}
    new_initial = {}
    earlier = None
    if callback is None and candidate is None and request.GET.get("caller", "").isdigit():
        earlier = HotlineCall.objects.filter(pk=request.GET["caller"], candidate__isnull=True).first()
    if earlier is not None:
        # Another call from someone not registered: their name and contact as noted last time.
        initial = {"caller_name": earlier.caller_name, "caller_contact": earlier.caller_contact}
        first, _sep, last = earlier.caller_name.partition(" ")
        contact = earlier.caller_contact
        new_initial = {"first_name": first, "last_name": last, **({"email": contact} if "@" in contact else {}),
                       **({"phone": contact} if contact and "@" not in contact else {})}
    if callback is not None:
        initial = {"caller_name": callback.name, "caller_contact": str(callback.phone or "") or callback.email,
                   "topic": callback.topic, "direction": HotlineCall.Direction.OUTBOUND,
                   "channel": HotlineCall.Channel.PHONE if callback.phone else HotlineCall.Channel.EMAIL}
        first, _sep, last = callback.name.partition(" ")
        new_initial = {"first_name": first, "last_name": last, "email": callback.email,
                       "phone": callback.phone or "", "language": callback.language}
    form = CallForm(request.POST or None, initial=initial, known_candidate=candidate is not None)
    new_form = None if candidate else NewCandidateForm(request.POST or None, initial=new_initial, prefix="new")
    if request.method == "POST":
        valid = form.is_valid() and (new_form is None or new_form.is_valid())
        if valid:
            try:
                if new_form is not None and new_form.cleaned_data.get("register"):
                    call = services.call_log_for_new_candidate(
                        logged_by=request.user, candidate_data=new_form.candidate_data(), callback=callback,
                        **{k: v for k, v in form.call_fields().items() if k not in ("caller_name", "caller_contact")},
                    )
                else:
                    call = services.call_log(logged_by=request.user, candidate=candidate, callback=callback,
                                             **form.call_fields())
            except services.HotlineError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Appel enregistré."))
                if call.candidate_id:
                    return redirect("staff:hotline_candidate", public_id=call.candidate.public_id)
                return redirect("staff:hotline_home")
    suggestions = []
    if callback is not None and candidate is None:
        suggestions = selectors.candidates_matching_contact(email=callback.email, phone=callback.phone)
    return render(request, "hotline/call_form.html", {
        "form": form, "new_form": new_form, "candidate": candidate, "callback": callback,
        "suggestions": suggestions,
    })


@role_required(test=permissions.can_see_hotline)
def candidate_card(request, public_id):
    candidate = _get_candidate(public_id)
    return render(request, "hotline/candidate.html", {
        "candidate": candidate,
        "timeline": selectors.candidate_timeline(candidate, user=request.user),
        "relocations": candidate.relocation_requests.select_related("owner"),
    })


@role_required(test=permissions.can_see_hotline)
def follow_ups(request):
    return render(request, "hotline/follow_ups.html", {
        "calls": selectors.follow_ups_for(owner=request.user), "today": timezone.localdate(), "mine": True,
    })


@role_required(test=permissions.can_see_hotline)
def overdue(request):
    return render(request, "hotline/follow_ups.html", {
        "calls": selectors.overdue_follow_ups(), "today": timezone.localdate(), "mine": False,
    })


@require_POST
@role_required(test=permissions.can_see_hotline)
def follow_up_done(request, pk):
    call = get_object_or_404(HotlineCall, pk=pk)
    if services.follow_up_mark_done(call=call, user=request.user):
        messages.success(request, _("Relance marquée comme faite."))
    else:
        messages.info(request, _("Cette relance était déjà faite."))
    next_url = request.POST.get("next", "")
    if next_url.startswith("/pilotage/hotline/") and "//" not in next_url:
        return HttpResponseRedirect(next_url)
    return redirect("staff:hotline_follow_ups")


@role_required(test=permissions.can_see_hotline)
def queue(request):
    return render(request, "hotline/queue.html", {
        "requests": selectors.callback_queue(),
    })


@role_required(test=permissions.can_see_hotline)
def relocations(request):
    return render(request, "hotline/relocations.html", {
        "requests": selectors.relocation_requests_active(),
    })


@role_required(test=permissions.can_see_hotline)
def relocation_new(request, public_id):
    candidate = _get_candidate(public_id)
    form = RelocationStaffForm(request.POST or None, initial={"owner": request.user.pk})
    if request.method == "POST" and form.is_valid():
        try:
            services.relocation_request_create(
                candidate=candidate, origin=RelocationRequest.Origin.STAFF, notes=form.cleaned_data["notes"],
                owner=form.cleaned_data["owner"], **form.needs_data(),
            )
        except services.HotlineError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Demande d'aide à l'installation enregistrée."))
            return redirect("staff:hotline_candidate", public_id=candidate.public_id)
    return render(request, "hotline/relocation_form.html", {"form": form, "candidate": candidate})


@role_required(test=permissions.can_see_hotline)
def relocation_edit(request, pk):
    relocation = get_object_or_404(RelocationRequest.objects.select_related("candidate"), pk=pk,
                                   candidate__anonymised_at__isnull=True)
    # Nobody follows it yet: the agent who opens it is the likeliest to.
    owner = relocation.owner_id or (request.user.pk if forms.hotline_staff().filter(pk=request.user.pk).exists()
                                    else None)
    initial = {"status": relocation.status, "notes": relocation.notes, "owner": owner,
               "target_city": relocation.target_city, "target_date": relocation.target_date,
               **{name: getattr(relocation, name) for name in services.NEED_FIELDS}}
    form = RelocationUpdateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.relocation_request_update(request=relocation, **form.update_data())
        except services.HotlineError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Demande mise à jour."))
            return redirect("staff:hotline_candidate", public_id=relocation.candidate.public_id)
    return render(request, "hotline/relocation_form.html", {
        "form": form, "candidate": relocation.candidate, "relocation": relocation,
    })


# Public pages


@ratelimit(key="ip", rate=CONTACT_RATE, method="POST", block=False)
def contact(request):
    """The hotline's number and hours, and a call-back request form."""
    form = CallbackRequestForm(request.POST or None)
    if request.method == "POST":
        if getattr(request, "limited", False):
            messages.error(request, _("Vous avez envoyé plusieurs demandes en peu de temps. "
                                      "Réessayez dans une heure ou appelez-nous."))
        elif form.is_spam():
            # Same answer as a real request, so that a robot learns nothing.
            return redirect("hotline:contact_thanks")
        elif form.is_valid():
            data = form.cleaned_data
            try:
                services.callback_request_create(
                    name=data["name"], phone=data.get("phone") or "", email=data.get("email") or "",
                    preferred_time=data["preferred_time"], topic=data["topic"], message=data.get("message", ""),
                    language=get_language(),
                )
            except services.HotlineError as exc:
                form.add_error(None, exc.message)
            else:
                return redirect("hotline:contact_thanks")
    return render(request, "hotline/contact.html", {"form": form, "contact": services.hotline_contact()},
                  status=429 if getattr(request, "limited", False) else 200)


def contact_thanks(request):
    return render(request, "hotline/contact_thanks.html", {"contact": services.hotline_contact()})


def relocation_space_enter(request, token):
    """Open the relocation form from an e-mailed "space" link: sign in to Mon espace, then drop the token."""
    try:
        space.sign_in_with_link(request, token)
    except space.LinkRefused:
        return render(request, "hotline/relocation_space.html", {"expired": True}, status=403)
    # As in Mon espace, the token leaves the address bar at once (no leak through a Referer header).
    return redirect("hotline:relocation_space")


@ratelimit(key="ip", rate="10/h", method="POST", block=False)
@space.space_required
def relocation_space(request, *, candidate):
    """The candidate asks for relocation help from "Mon espace"."""
    active = selectors.relocation_active_for(candidate=candidate)
    form = RelocationSpaceForm(request.POST or None)
    if request.method == "POST" and active is None:
        if getattr(request, "limited", False):
            messages.error(request, _("Trop de demandes en peu de temps. Réessayez dans une heure."))
        elif form.is_spam():
            return redirect("hotline:relocation_thanks")
        elif form.is_valid():
            try:
                services.relocation_request_create(candidate=candidate, origin=RelocationRequest.Origin.SPACE,
                                                   message=form.cleaned_data.get("message", ""), **form.needs_data())
            except services.HotlineError as exc:
                form.add_error(None, exc.message)
            else:
                return redirect("hotline:relocation_thanks")
    return render(request, "hotline/relocation_space.html", {
        "form": form, "candidate": candidate, "active": active, "contact": services.hotline_contact(),
    })


def space_relocation_context(request, candidate) -> dict:
    """Context of the Mon espace section (hotline/space_relocation.html)."""
    return {"relocation_active": selectors.relocation_active_for(candidate=candidate),
            "hotline_contact": services.hotline_contact()}


def relocation_thanks(request):
    return render(request, "hotline/relocation_thanks.html", {"contact": services.hotline_contact()})
