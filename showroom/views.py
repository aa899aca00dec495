from django.shortcuts import get_object_or_404, render

from .models import UseCase


def _published():
    return UseCase.objects.filter(is_published=True).select_related("sector")


def usecase_list(request):
    return render(request, "showroom/usecase_list.html", {"use_cases": _published().prefetch_related("technologies")})


def usecase_detail(request, slug):
    use_case = get_object_or_404(_published().prefetch_related("technologies", "companies", "images"), slug=slug)
    related = _published().filter(sector=use_case.sector).exclude(pk=use_case.pk)[:3]
    return render(request, "showroom/usecase_detail.html", {"use_case": use_case, "related": related})
