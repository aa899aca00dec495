from functools import reduce
from operator import and_, or_

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.utils.html import format_html
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import gettext as _
from import_export.admin import ExportMixin

from .errors import DomainError
from .exports import EXPORT_FORMATS
from .permissions import is_coordinator
from .scoping import recruiter_company_id, scope_queryset

# Where a refused save leaves its DomainError for the second pass of the change form.
_REFUSAL = "_admin_refusal"


class DomainErrorAdminMixin:
    """Show a refusal (`DomainError`) raised by a service during an admin write, with nothing saved.

    Every admin of the rooms uses it (`ScopedModelAdmin` includes it), so save_model, save_formset,
    save_related and delete_model just call the services and let their refusal through:
    - change form: Django saves it in one transaction, which the refusal rolls back; the form is then
      shown again from the same data, carrying the refusal as its error (on `field` when the form has
      it), with no "changed successfully" and none of the messages the failed save queued;
    - delete page: rolled back likewise; the confirmation page comes back with the refusal;
    - changelist (actions, editable columns): the refusal is shown as an error message. Actions keep
      what they did before it (each service call is its own transaction); most catch refusals per row.
    """

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        queued = _queued_messages(request)
        before = len(queued)
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except DomainError as exc:
            if request.method != "POST":
                raise
            del queued[before:]  # they spoke of a save that did not happen
            setattr(request, _REFUSAL, exc)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        refusal = getattr(request, _REFUSAL, None)
        return form if refusal is None else _refused_form(form, refusal)

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except DomainError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def changelist_view(self, request, extra_context=None):
        try:
            return super().changelist_view(request, extra_context)
        except DomainError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


def _queued_messages(request) -> list:
    # The messages added during this request and not yet stored (a list on Django's message storages).
    return getattr(getattr(request, "_messages", None), "_queued_messages", [])


def _refused_form(form_class, refusal: DomainError):
    """Return a subclass of `form_class` whose validation fails with the refusal's message."""

    class RefusedForm(form_class):
        def clean(self):
            cleaned = super().clean()
            self.add_error(refusal.field if refusal.field in self.fields else None, refusal.message)
            return cleaned

    RefusedForm.__name__ = RefusedForm.__qualname__ = form_class.__name__
    return RefusedForm


# Django's own message, translated by its catalogue (a constant, so our catalogue does not collect it).
ACTION_CHECKBOX_LABEL = "Select this object for an action - {}"


class ActionCheckboxMixin:
    """Each row's action checkbox written directly, the same HTML as Django's: rendering a widget through
    three templates for every row costs a sixth of a 50-row list's time."""

    def action_checkbox(self, obj):
        return format_html('<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
                           helpers.ACTION_CHECKBOX_NAME, str(obj.pk),
                           format_html(_(ACTION_CHECKBOX_LABEL), str(obj)))


class ScopedAdminMixin(ActionCheckboxMixin):
    """Limit a model admin, its foreign-key choices and its autocompletes to what the user may see.

    Autocomplete and raw-id popups go through the related model's admin `get_queryset`, so every
    admin of a company-owned model must use this mixin.
    """

    def get_queryset(self, request):
        return scope_queryset(super().get_queryset(request), request.user)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.URLField):
            kwargs.setdefault("assume_scheme", "https")  # a bare "example.com" means https (Django 6's default)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = scope_queryset(field.queryset, request.user)
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = scope_queryset(field.queryset, request.user)
        return field

    def is_recruiter(self, request) -> bool:
        return recruiter_company_id(request.user) is not None

    # History: a change message names the rows edited with the object (an orientation to another company,
    # a candidate who has since withdrawn consent), which scoping cannot filter out of free text. Recruiters
    # get no history page at all; an object they cannot see still answers as missing.
    def history_view(self, request, object_id, extra_context=None):
        if self.is_recruiter(request) and self.get_object(request, unquote(object_id)) is not None:
            raise PermissionDenied
        return super().history_view(request, object_id, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "hide_history_link": self.is_recruiter(request)}
        return super().change_view(request, object_id, form_url, extra_context)


class DeferredJoinPaginator(Paginator):
    """Deep pages read the page's ids first, then only those rows.

    With `OFFSET 50000` PostgreSQL builds and throws away 50,000 whole rows, joins included; the ids alone
    come from the ordering's index. The page stays a queryset (same order), as the admin expects.
    """

    DEFERRED_FROM = 500

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        if bottom < self.DEFERRED_FROM or not hasattr(self.object_list, "values_list"):
            return super().page(number)
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        return self._get_page(self.object_list.filter(pk__in=ids), number, self)


def country_column(field: str, description):
    """A sortable list column with the name of a country field, in the reader's language.

    Listed as the field itself, the admin's display of a choice field rebuilds django-countries' 250 choices
    for every row (half of a 100-row list's render).
    """
    @admin.display(description=description, ordering=field)
    def column(model_admin, obj):
        return getattr(obj, field).name

    return column


def search_words(search_term: str) -> list[str]:
    """The words of an admin search box, quoted phrases kept whole, as Django's own search splits them."""
    return [unescape_string_literal(w) if w[0] in "\"'" and w[-1] == w[0] and len(w) > 1 else w
            for w in smart_split(search_term)]


# The staff's long lists (candidates, bookings, postings, prospects, meetings, the audit trail) show half
# Django's 100 rows: half the render of a page, the same rows a screen or two away.
LONG_LIST_PER_PAGE = 50


# Up to this many related rows found by a word, their ids are read first and passed as a list.
RELATED_IDS_READ_FIRST = 1000


def related_contains(model, path: str, word: str) -> Q:
    """`path__icontains=word`, through the ids of the related rows where the path follows a foreign key.

    Written as a join, an OR between a column of the list's table and one of a related table keeps
    PostgreSQL from joining by id: it tests the OR on every pair (every booking against every session).
    As `fk IN (ids whose column contains the word)`, the list's rows are read once. The ids are read
    first when they are few: `fk = ANY(list)` is an index condition, so PostgreSQL can combine it with the
    trigram indexes of the list's own columns (a bitmap OR) instead of reading every row to test a
    subquery's result.
    """
    name, _, rest = path.partition("__")
    field = model._meta.get_field(name)
    if rest and field.many_to_one:
        related = field.related_model
        matching = related._default_manager.filter(related_contains(related, rest, word)).values_list("pk", flat=True)
        ids = list(matching[:RELATED_IDS_READ_FIRST + 1])
        return Q(**{f"{name}__in": ids if len(ids) <= RELATED_IDS_READ_FIRST else matching})
    return Q(**{f"{path}__icontains": word})


def follows_foreign_keys(model, path: str) -> bool:
    """Whether `path` reaches its column through foreign keys only (no row can then match twice)."""
    name, _, rest = path.partition("__")
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:  # a lookup prefix ("^name") or a name Django resolves otherwise
        return False
    if not rest:
        return not field.is_relation
    return field.many_to_one and follows_foreign_keys(field.related_model, rest)


def words_in_fields(model, fields, words) -> Q:
    """Django's admin search rule: every word in one of the fields (related columns through id subqueries)."""
    return reduce(and_, (reduce(or_, (related_contains(model, f, w) for f in fields)) for w in words))


class RelatedSearchMixin:
    """Django's admin search (every word in one of `search_fields`), with related tables' columns read
    through id subqueries (`related_contains`). Lists whose search fields cross a many-valued relation
    keep Django's own search."""

    def get_search_results(self, request, queryset, search_term):
        fields = self.get_search_fields(request)
        words = search_words(search_term)
        if not words or not fields or not all(follows_foreign_keys(queryset.model, f) for f in fields):
            return super().get_search_results(request, queryset, search_term)
        return queryset.filter(words_in_fields(queryset.model, fields, words)), False


class RowLinksChangeList(ChangeList):
    """Every row's link carries the list's filters, added once for the page rather than once per row.

    Django adds them in its row template by resolving each row's URL again, to tell whether it is the
    list's own URL. A row's link is a change page, never the list: the filters go
    on as they are, and the HTML is the same.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Django's row template adds `preserved_filters` to each link; an empty one is added without a resolve.
        self.row_filters, self.preserved_filters = self.preserved_filters, ""

    def url_for_result(self, result):
        url = super().url_for_result(result)
        return f"{url}?{self.row_filters}" if self.row_filters else url


class RowLinksMixin(ActionCheckboxMixin):
    """For the long lists: row links built with RowLinksChangeList."""

    def get_changelist(self, request, **kwargs):
        return RowLinksChangeList


class ScopedExportItemsMixin:
    """Rows picked for an export by id (the admin's action) must be rows this user sees: django-import-export's
    default accepts every id of the table (and warns that it is deprecated)."""

    def get_valid_export_item_pks(self, request):
        return self.get_queryset(request).values_list("pk", flat=True)


class ExportForViewersMixin(ScopedExportItemsMixin, ExportMixin):
    """CSV / XLSX of the rows on screen (filters and search kept), for those who may view them (django-import-export
    lets any staff in otherwise); the rows come from the scoped get_queryset, so a recruiter exports only their
    company's."""

    formats = EXPORT_FORMATS  # formula-escaping CSV and XLSX

    def has_export_permission(self, request):
        return self.has_view_permission(request)


class ScopedModelAdmin(RowLinksMixin, RelatedSearchMixin, ScopedAdminMixin, DomainErrorAdminMixin, admin.ModelAdmin):
    paginator = DeferredJoinPaginator


class ScopedInline(ScopedAdminMixin, admin.TabularInline):
    extra = 0


def scoped_view_on_site(request, content_type_id, object_id):
    """The admin's "view on site" redirect (/admin/r/…), for objects the user may see only.

    Django's own shortcut answers for any object of any model; for another company's draft posting its
    redirect would reveal the address, hence the title.
    """
    try:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
    except ContentType.DoesNotExist as exc:
        raise Http404 from exc
    try:
        visible = model is not None and scope_queryset(model._default_manager.all(), request.user).filter(
            pk=object_id).exists()
    except (ValueError, ValidationError):  # not an id of this model
        visible = False
    if not visible:
        raise Http404
    return shortcut(request, content_type_id, object_id)


class CoordinatorsReadOnlyMixin:
    """Pages only coordinators read and nobody writes from the admin (history, scorecards)."""

    def has_module_permission(self, request):
        return is_coordinator(request.user)

    def has_view_permission(self, request, obj=None):
        return is_coordinator(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def titled_filter(filter_class, title):
    """Return `filter_class` under another title (for a library's fields, named in English only)."""
    class Titled(filter_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.title = title
    return Titled
