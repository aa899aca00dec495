"""Pages of the courses: the public list with its filters, and "Mes formations" where a training partner's
members publish and change their organisation's courses (and no other's)."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tescforce import list_filters, page_cache

from . import courses
from .access import member_required
from .course_filters import CourseFilter
from .course_forms import CourseForm
from .services import PartnerError

PAGE_SIZE = 20
LIST_PARAMS = (*CourseFilter.base_filters, "page")


# --- the public list -----------------------------------------------------------------------------------

def _render_list(params) -> tuple[str, object]:
    """The filters and the results: the same for every visitor of these parameters, so cacheable."""
    filterset = CourseFilter(params or None, queryset=courses.course_list())
    valid = not filterset.is_bound or filterset.is_valid()
    page = Paginator(filterset.qs if valid else courses.course_list().none(), PAGE_SIZE).get_page(params.get("page"))
    kept = params.copy()
    kept.pop("page", None)
    content = render_to_string("partners/courses/_list.html", {
        "filter": filterset, "fields": list_filters.form_fields(filterset), "page": page,
        "active_filters": list_filters.active_filters(filterset, kept), "querystring": kept.urlencode(),
    })
    return content, page_cache.shown_query(params, page.number, valid=valid)


@require_GET
def course_list(request):
    listing = page_cache.cached_list("courses", request, LIST_PARAMS, _render_list)
    return render(request, "partners/courses/list.html", {"listing": listing})


# --- "Mes formations", for a training partner's members ------------------------------------------------

def teaching_member_required(view):
    """The partner space's gate (access.member_required: the anonymous and members who left go to its sign-in
    page, anyone else who is no active member gets the 403 page), then the organisation must teach: a member
    of an organisation that does not (an agency, a Mission locale) gets the 403 page."""

    @wraps(view)
    def check(request, *args, member, **kwargs):
        if not courses.may_publish_courses(member.partner):
            raise PermissionDenied
        return view(request, *args, member=member, **kwargs)

    return member_required(check)


@teaching_member_required
def member_courses(request, *, member):
    return render(request, "partners/courses/member_list.html", {
        "member": member, "partner": member.partner, "courses": courses.partner_courses(member.partner),
        "today": timezone.localdate()})


def _own_course(member, pk: int):
    """The course, if it belongs to the member's organisation; 404 for any other."""
    return get_object_or_404(courses.partner_courses(member.partner), pk=pk)


def _save(request, member, form, course=None):
    try:
        if course is None:
            saved = courses.course_create(partner=member.partner, data=form.course_data(),
                                          skills=form.cleaned_data["skills"], by=request.user)
        else:
            saved = courses.course_update(course=course, data=form.course_data(), skills=form.cleaned_data["skills"])
    except PartnerError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return None
    if saved.is_published:
        messages.success(request, _("« %(title)s » est publiée.") % {"title": saved.title})
    else:
        messages.success(request, _("« %(title)s » est enregistrée, sans être publiée.") % {"title": saved.title})
    return redirect("courses:member_courses")


@teaching_member_required
def member_course_new(request, *, member):
    form = CourseForm(request.POST or None, initial={"city": member.partner.city, "is_published": True})
    if request.method == "POST" and form.is_valid():
        done = _save(request, member, form)
        if done is not None:
            return done
    return render(request, "partners/courses/member_form.html", {"form": form, "member": member,
                                                                 "partner": member.partner})


@teaching_member_required
def member_course_edit(request, pk: int, *, member):
    course = _own_course(member, pk)
    form = CourseForm(request.POST or None, instance=course)
    if request.method == "POST" and form.is_valid():
        done = _save(request, member, form, course=course)
        if done is not None:
            return done
    return render(request, "partners/courses/member_form.html", {"form": form, "member": member,
                                                                 "partner": member.partner, "course": course})
