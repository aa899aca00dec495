from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from .models import Registration, Session


def _upcoming():
    return (
        Session.objects.filter(is_published=True, ends_at__gte=timezone.now())
        .annotate(confirmed=Count("registrations", filter=Q(registrations__status=Registration.Status.CONFIRMED)))
        .select_related("edition")
        .order_by("starts_at")
    )


def session_list(request):
    return render(request, "events/session_list.html", {"sessions": _upcoming()})


def session_detail(request, pk):
    session = get_object_or_404(_upcoming(), pk=pk)
    companies = session.companies.order_by("name")
    return render(request, "events/session_detail.html", {"session": session, "companies": companies})
