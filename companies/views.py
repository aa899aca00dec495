from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from .models import Company, JobPosting


def _published():
    return JobPosting.objects.filter(status=JobPosting.Status.PUBLISHED)


def posting_list(request):
    postings = _published().select_related("company", "job_family").order_by("-published_at", "-id")
    page = Paginator(postings, 20).get_page(request.GET.get("page"))
    return render(request, "companies/posting_list.html", {"page": page})


def posting_detail(request, slug):
    posting = get_object_or_404(_published().select_related("company", "job_family"), slug=slug)
    return render(request, "companies/posting_detail.html", {"posting": posting})


def company_detail(request, slug):
    company = get_object_or_404(Company, slug=slug)
    postings = company.postings.filter(status=JobPosting.Status.PUBLISHED).order_by("-published_at")
    use_cases = company.use_cases.filter(is_published=True)
    return render(request, "companies/company_detail.html",
                  {"company": company, "postings": postings, "use_cases": use_cases})
