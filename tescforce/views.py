from django.contrib.admin.views.decorators import staff_member_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render

from companies.models import JobPosting
from events.models import Session
from showroom.models import UseCase

from .facts import REGION_FACTS


def healthz(request):
    """Answer 200 when the database answers, for a load balancer's probe."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok"})


def home(request):
    from django.utils import timezone

    context = {
        "facts": REGION_FACTS,
        "postings": JobPosting.objects.filter(status=JobPosting.Status.PUBLISHED)
        .select_related("company")
        .order_by("-published_at")[:6],
        "sessions": Session.objects.filter(is_published=True, starts_at__gte=timezone.now()).order_by("starts_at")[:4],
        "use_cases": UseCase.objects.filter(is_published=True, is_featured=True).select_related("sector")[:3],
    }
    return render(request, "home.html", context)


def accessibility(request):
    return render(request, "pages/accessibility.html")


def legal(request):
    return render(request, "pages/legal.html")


@staff_member_required
def dashboard(request):
    return render(request, "staff/dashboard.html")
