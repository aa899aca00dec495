"""Audit trail: who changed what and when on candidates, postings, sessions, job-dating scorecards, prospects
and meetings.

django-simple-history keeps a historical copy of each row at every save. The models stay untouched in
their apps: they are registered here, with their historical tables in this app ("tescforce"), so one
place says what is audited. UseCase and Company are not registered: their translated fields trip
simple-history (see STACK.md). Coordinators read the trail in the admin ("Journal des modifications"),
the candidate's export carries their entries, and erasure deletes them.
"""

from typing import Any

import simple_history
from django.apps import apps
from django.contrib import admin
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .admin_mixins import LONG_LIST_PER_PAGE, CoordinatorsReadOnlyMixin

AUDITED: list[tuple[str, str, dict[str, Any]]] = [
    ("candidates", "Candidate", {"excluded_fields": ["link_generation", "search_text", "name_text"]}),
    ("companies", "JobPosting", {"excluded_fields": ["search_vector"]}),
    ("events", "Session", {}),
    ("matching", "Scorecard", {}),
    ("prospecting", "Prospect", {}),
    ("prospecting", "Meeting", {}),
]


def audited_models() -> list:
    return [apps.get_model(app_label, name) for app_label, name, _options in AUDITED]


def register_history() -> None:
    """Attach a `history` manager to each audited model (once, from TescforceConfig.ready)."""
    for model, (_app, _name, options) in zip(audited_models(), AUDITED, strict=True):
        if getattr(model, "history", None) is None:
            simple_history.register(model, app="tescforce", **options)


def _changes(record) -> list[dict[str, Any]]:
    previous = record.prev_record
    if previous is None:
        return []
    delta = record.diff_against(previous)
    return [{"field": change.field, "old": _plain(change.old), "new": _plain(change.new)} for change in delta.changes]


def _plain(value) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def object_history(obj) -> list[dict[str, Any]]:
    """Return the audit entries of one audited object, oldest first, as JSON-ready values."""
    kinds = {"+": "created", "~": "changed", "-": "deleted"}
    entries = []
    for record in obj.history.order_by("history_date", "history_id").select_related("history_user"):
        entries.append({
            "at": record.history_date.isoformat(),
            "action": kinds.get(record.history_type, record.history_type),
            "by": record.history_user.get_username() if record.history_user_id else None,
            "changes": _changes(record),
        })
    return entries


class HistoryAdmin(CoordinatorsReadOnlyMixin, admin.ModelAdmin):
    """Read-only list of one model's historical rows, for coordinators only."""

    list_display = ("history_date", "history_object_link", "history_type_label", "history_user", "changed_fields")
    list_filter = ("history_type", "history_date")
    date_hierarchy = "history_date"
    list_select_related = ("history_user",)
    list_per_page = LONG_LIST_PER_PAGE
    show_full_result_count = False

    @admin.display(description=_("objet"), ordering="id")
    def history_object_link(self, obj):
        return f"{obj.instance_type._meta.verbose_name} #{obj.id} – {obj.history_object}"

    @admin.display(description=_("action"), ordering="history_type")
    def history_type_label(self, obj):
        return {"+": _("création"), "~": _("modification"), "-": _("suppression")}.get(obj.history_type, "")

    @admin.display(description=_("champs modifiés"))
    def changed_fields(self, obj):
        return ", ".join(change["field"] for change in _changes(obj)) or "—"


def register_admin() -> None:
    """Show each historical model in the admin under "Pilotage", filterable by object id (?id=…)."""
    for model in audited_models():
        history_model = model.history.model
        history_model._meta.verbose_name_plural = format_lazy(_("Journal des modifications : {}"),
                                                              model._meta.verbose_name_plural)
        if not admin.site.is_registered(history_model):
            search = [f for f in ("last_name", "email", "title", "name", "subject") if _has_field(model, f)]
            admin.site.register(history_model, type(f"{model.__name__}HistoryAdmin", (HistoryAdmin,), {
                "search_fields": ["=id", *search]}))


def _has_field(model, name: str) -> bool:
    try:
        model._meta.get_field(name)
    except Exception:
        return False
    return True
