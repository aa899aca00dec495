import hashlib
from functools import partial

from django.contrib import messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import get_template, render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_ratelimit.decorators import ratelimit

from tescforce import list_filters, page_cache
from tescforce.error_pages import too_many_requests

from . import services
from .filters import UseCaseFilter
from .forms import ContactRequestForm
from .selectors import published_use_cases, related_use_case_ids
from .sheets import render_pdf, sheet_context

PAGE_SIZE = 12


def _get_published(slug: str):
    return get_object_or_404(
        published_use_cases().prefetch_related("technologies", "companies", "images"), slug=slug)


# The query parameters the catalogue reads; any other is ignored (tescforce/page_cache.py).
LIST_PARAMS = (*UseCaseFilter.base_filters, "page")


def usecase_list(request):
    # Filters and results are the same for every visitor of these parameters: cached until a change.
    def render_list(params):
        return _render_usecase_list(request, params)

    content = page_cache.cached_list("showroom", request, LIST_PARAMS, render_list)
    return render(request, "showroom/usecase_list.html", {"content": mark_safe(content)})  # noqa: S308 (our render)


def _render_usecase_list(request, params):
    filterset = UseCaseFilter(params or None, queryset=published_use_cases())
    # The page holds ids; each card is rendered once per version of the catalogue (see the job board).
    page = Paginator(filterset.qs.values_list("pk", flat=True), PAGE_SIZE).get_page(params.get("page"))
    querystring = params.copy()
    querystring.pop("page", None)
    content = render_to_string("showroom/_usecase_list_content.html", {
        "filter": filterset, "fields": list_filters.form_fields(filterset), "page": page,
        "cards": page_cache.cached_items(("showroom",), "use-case-card", page.object_list, _render_cards),
        "querystring": querystring.urlencode(), "is_filtered": bool(querystring),
    }, request=request)
    return content, page_cache.shown_query(params, page.number, valid=not filterset.is_bound or filterset.is_valid())


def _render_cards(ids: list[int], level: int = 2) -> dict[int, str]:
    card = get_template("showroom/_card.html")
    return {uc.pk: card.render({"uc": uc, "level": level})
            for uc in published_use_cases().prefetch_related("technologies", "images").filter(pk__in=ids)}


def usecase_detail(request, slug):
    def build() -> dict:
        use_case = _get_published(slug)
        context = {"use_case": use_case}
        return {
            "slug": use_case.slug, "title": use_case.title, "summary": use_case.summary,
            "main": render_to_string("showroom/_usecase_main.html", context, request),
            # The related use cases' cards are the catalogue's, cached one by one.
            "related": render_to_string("showroom/_usecase_related.html", {"related": page_cache.cached_items(
                ("showroom",), "use-case-card-3", related_use_case_ids(use_case), partial(_render_cards, level=3))},
                request),
            # The empty form is the same for everyone (the CSRF token is outside it).
            "contact_fields": render_to_string("showroom/_contact_fields.html", {"form": ContactRequestForm()},
                                               request),
        }
    page = page_cache.cached_parts(("showroom",), f"usecase:{slug}", build)
    return render(request, "showroom/usecase_detail.html", {"page": page})


def usecase_sheet(request, slug):
    use_case = _get_published(slug)
    context = sheet_context([use_case], title=use_case.title)
    context |= {"back_url": use_case.get_absolute_url(), "pdf_url": request.path + "pdf/"}
    return render(request, "showroom/sheet.html", context)


@ratelimit(key="ip", rate="30/m", method="GET", block=False)
def usecase_sheet_pdf(request, slug):
    if getattr(request, "limited", False):
        return too_many_requests(request, message=_("Trop de téléchargements : réessayez dans une minute."))
    use_case = _get_published(slug)
    language = translation.get_language()
    # A render takes ~40 ms of CPU (more with images): keep each sheet an hour, keyed on its content.
    images = repr(list(use_case.images.values_list("pk", "image", f"alt_text_{language}")))
    digest = hashlib.sha256(f"{use_case.updated_at.isoformat()}{images}".encode()).hexdigest()[:16]
    key = f"showroom:pdf:{use_case.pk}:{language}:{digest}"
    pdf = cache.get(key)
    if pdf is None:
        pdf = render_pdf([use_case], language=language, title=use_case.title)
        cache.set(key, pdf, timeout=3600)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="tescforce-{use_case.slug}.pdf"'
    return response


@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate="5/h", method="POST", block=False)
def usecase_contact(request, slug):
    use_case = _get_published(slug)
    form = ContactRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if getattr(request, "limited", False):
            messages.error(request, _("Vous avez envoyé plusieurs demandes en peu de temps. Réessayez dans une heure."))
            return render(request, "showroom/contact.html", {"use_case": use_case, "form": form}, status=429)
        if form.is_valid():
            if not form.is_spam():
                try:
                    services.contact_request_create(
                        use_case=use_case, language=translation.get_language(),
                        **{k: form.cleaned_data[k] for k in ("name", "email", "organisation", "message", "country")},
                    )
                except services.ShowroomError as exc:
                    messages.error(request, str(exc))
                    return redirect(use_case)
            messages.success(request, _("Merci : votre demande est transmise à notre équipe, qui vous répondra "
                                        "sous cinq jours ouvrés. Un accusé de réception vous a été envoyé."))
            return redirect(use_case)
    status = 400 if request.method == "POST" else 200
    return render(request, "showroom/contact.html", {"use_case": use_case, "form": form}, status=status)
