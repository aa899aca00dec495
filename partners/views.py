"""The partner space (members refer people and follow them) and the page where a referred person answers."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.core import signing
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from candidates import space
from tescforce.exports import spreadsheet_response

from . import selectors, services, tokens
from .access import member_required
from .forms import CompleteRegistrationForm, LinkForm, PartnerLoginForm, PartnerPasswordResetForm, ReferralForm
from .models import Referral

REFER_RATE = "60/h"
ANSWER_RATE = "30/h"
RESET_RATE = "5/h"


# --- signing in ----------------------------------------------------------------------------------------

class PartnerLoginView(auth_views.LoginView):
    form_class = PartnerLoginForm
    template_name = "partners/login.html"
    redirect_authenticated_user = False

    def get_default_redirect_url(self):
        return str(reverse_lazy("partners:home"))


login_view = PartnerLoginView.as_view()


@require_POST
def logout_view(request):
    logout(request)
    messages.success(request, _("Vous êtes déconnecté·e."))
    return redirect("partners:login")


class PartnerPasswordResetView(auth_views.PasswordResetView):
    form_class = PartnerPasswordResetForm
    template_name = "partners/password_reset.html"
    success_url = reverse_lazy("partners:password_reset_done")

    def form_valid(self, form):
        if getattr(self.request, "limited", False):
            form.add_error("email", _("Trop de demandes depuis votre connexion. Réessayez dans une heure."))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)


password_reset = ratelimit(key="ip", rate=RESET_RATE, method="POST", block=False)(
    PartnerPasswordResetView.as_view())
password_reset_done = auth_views.PasswordResetDoneView.as_view(template_name="partners/password_reset_done.html")
set_password = auth_views.PasswordResetConfirmView.as_view(
    template_name="partners/set_password.html", success_url=reverse_lazy("partners:set_password_done"))
set_password_done = auth_views.PasswordResetCompleteView.as_view(template_name="partners/set_password_done.html")


# --- the partner space ---------------------------------------------------------------------------------

@member_required
def home(request, *, member):
    referrals = selectors.partner_referrals(partner=member.partner)
    status = request.GET.get("statut", "")
    items = selectors.follow_ups(referrals)
    counts = selectors.status_counts(items)
    if status in selectors.STATUS_LABELS:
        items = [item for item in items if item.status == status]
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    return render(request, "partners/home.html", {
        "member": member, "partner": member.partner, "page": page, "counts": counts, "status": status,
        "total": len(referrals),
    })


def _referral_for(member, pk: int) -> Referral:
    """The referral `pk` if it belongs to the member's organisation; any other id is "not found"."""
    referral = selectors.partner_referrals(partner=member.partner).filter(pk=pk).first()
    if referral is None:
        raise Http404
    return referral


@member_required
def referral_detail(request, pk: int, *, member):
    referral = _referral_for(member, pk)
    (item,) = selectors.follow_ups([referral])
    return render(request, "partners/referral_detail.html", {"member": member, "partner": member.partner,
                                                             "item": item, "referral": referral})


@ratelimit(key="user_or_ip", rate=REFER_RATE, method="POST", block=False)
@member_required
def referral_new(request, *, member):
    if request.method == "POST":
        form = ReferralForm(request.POST)
        if getattr(request, "limited", False):
            form.add_error(None, _("Trop d'orientations en peu de temps. Réessayez dans une heure."))
            return render(request, "partners/referral_form.html", {"form": form, "member": member,
                                                                   "partner": member.partner}, status=429)
        if form.is_valid():
            data = form.cleaned_data
            try:
                referral, maybe_known = services.referral_create(member=member, data=data, skills=data["skills"])
            except services.PartnerError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                if maybe_known:
                    # The same words whatever was found: the partner learns nothing about anyone registered.
                    messages.warning(request, _(
                        "Cette personne est peut-être déjà inscrite. Si c'est bien elle, nous lui demandons par "
                        "e-mail son accord pour rattacher votre orientation à son inscription."))
                else:
                    messages.success(request, _(
                        "Orientation enregistrée : la personne reçoit un e-mail pour confirmer elle-même son "
                        "inscription."))
                return redirect("partners:referral_detail", pk=referral.pk) if referral else redirect("partners:home")
    else:
        form = ReferralForm(initial={"language": translation.get_language() or "fr"})
    return render(request, "partners/referral_form.html", {"form": form, "member": member,
                                                           "partner": member.partner})


@member_required
def referral_export(request, *, member):
    """The organisation's referrals as CSV: what the partner typed and the statuses they may read."""
    items = selectors.follow_ups(selectors.partner_referrals(partner=member.partner))
    french = (translation.get_language() or "fr").split("-")[0] == "fr"

    def day(value):
        return formats.date_format(timezone.localtime(value), "SHORT_DATE_FORMAT") if value else ""

    keys = [key for key, _label in selectors.STEPS]
    headers = [_("Prénom"), _("Nom"), _("E-mail"), _("Téléphone"), _("Statut"),
               *[label for _key, label in selectors.STEPS]]
    rows = []
    for item in items:
        r = item.referral
        reached = {key: when for key, _label, when in item.steps}
        rows.append([r.first_name, r.last_name, r.email, str(r.phone or ""), str(item.status_label),
                     *[day(reached.get(key)) for key in keys]])
    return spreadsheet_response(headers=headers, rows=rows, filename="orientations",
                                delimiter=";" if french else ",")


# --- the referred person's answer (public, from the e-mailed link) ----------------------------------------

def _referral_from_token(token: str) -> Referral | None:
    try:
        public_id = tokens.read_token(token)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return Referral.objects.select_related("partner", "proposed_session", "candidate").filter(
        public_id=public_id).first()


def _initial_from(referral: Referral) -> dict:
    return {"first_name": referral.first_name, "last_name": referral.last_name, "phone": referral.phone,
            "postcode": referral.postcode, "profile": referral.profile,
            "skills": list(referral.skills.values_list("pk", flat=True))}


@ratelimit(key="ip", rate=ANSWER_RATE, method="POST", block=False)
def answer(request, token: str):
    referral = _referral_from_token(token)
    if referral is None or not referral.is_open:
        return render(request, "partners/answer_closed.html", {"referral": referral}, status=400)
    target = services.answer_target(referral)
    context = {"referral": referral, "partner": referral.partner, "session": referral.proposed_session,
               "known": target is not None}
    if getattr(request, "limited", False) and request.method == "POST":
        return render(request, "errors/429.html", status=429)
    if target is not None:
        form = LinkForm(request.POST or None, partner=referral.partner)
        if request.method == "POST" and form.is_valid():
            try:
                if "decline" in request.POST:
                    services.referral_decline(referral=referral)
                    return render(request, "partners/answer_done.html", {**context, "declined": True})
                services.referral_link(referral=referral, share=form.cleaned_data["consent_share"])
            except services.PartnerError as exc:
                form.add_error(None, exc.message)
            else:
                return render(request, "partners/answer_done.html", {**context, "linked": True})
        return render(request, "partners/answer_link.html", {**context, "form": form})
    form = CompleteRegistrationForm(request.POST or None, partner=referral.partner,
                                    initial=_initial_from(referral))
    if request.method == "POST" and "decline" in request.POST:
        services.referral_decline(referral=referral)
        return render(request, "partners/answer_done.html", {**context, "declined": True})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            candidate = services.referral_accept_registration(
                referral=referral, data=data, skills=data["skills"], job_families=data["desired_job_families"],
                shown_to_recruiters=data["consent_shown"], shown_on_match=data["consent_matched"],
                share=data["consent_share"], language=translation.get_language() or "fr")
        except services.PartnerError as exc:
            form.add_error(None, exc.message)
        else:
            # As the first opening of a confirmation link does: the person is in Mon espace at once.
            space.sign_in(request, candidate)
            return render(request, "partners/answer_done.html", {**context, "registered": True})
    return render(request, "partners/answer_register.html", {**context, "form": form})


# --- Mon espace: stop sharing ------------------------------------------------------------------------

@require_POST
@space.space_required
def space_stop_sharing(request, pk: int, *, candidate):
    referral = Referral.objects.filter(pk=pk, candidate=candidate).first()
    if referral is None:
        raise Http404
    if services.referral_share_withdraw(referral=referral):
        messages.success(request, _("%(partner)s ne suit plus votre parcours.") % {"partner": referral.partner.name})
    return redirect("candidates:space_home")


def space_section_context(request, candidate) -> dict:
    return {"partner_referrals": selectors.space_referrals(candidate)}
