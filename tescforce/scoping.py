"""Who sees which rows: a recruiter only ever sees their own company's objects.

Every queryset shown to staff goes through `scope_queryset`. Each room says how its models lead to the
company that owns a row, from its AppConfig.ready():

    scoping.register_path("companies.jobposting", "company")      # lookup path to the company ("pk": itself)
    scoping.register_unscoped("companies.skill")                  # reference data a recruiter reads whole
    scoping.register_rule("candidates.candidate", "matching", q)  # q(company_id) -> Q, for rows with no
                                                                  # single path; a row any rule admits is seen

For a recruiter, a model registered nowhere yields nothing (the safe default). A model is registered one
way only. `table()` lists what is registered (tests pin it: who sees what).
"""

from collections.abc import Callable
from functools import reduce
from operator import or_

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q, QuerySet

from . import roles

_PATHS: dict[str, str] = {}
_UNSCOPED: set[str] = set()
_RULES: dict[str, dict[str, Callable[[int], Q]]] = {}


def _claim(label: str, kind: str) -> None:
    # One model, one way of reaching its company: a second kind would make the outcome depend on the order.
    kinds = {"path": label in _PATHS, "unscoped": label in _UNSCOPED, "rule": label in _RULES}
    if any(held for other, held in kinds.items() if other != kind):
        raise ImproperlyConfigured(f"{label} is already scoped another way")


def register_path(label: str, path: str) -> None:
    """Scope `label` ("app_label.modelname") to the company its lookup `path` leads to ("pk": the company)."""
    _claim(label, "path")
    _PATHS[label] = path


def register_unscoped(*labels: str) -> None:
    """Let recruiters read these models whole (reference and public data)."""
    for label in labels:
        _claim(label, "unscoped")
        _UNSCOPED.add(label)


def register_rule(label: str, name: str, rule: Callable[[int], Q]) -> None:
    """Show a recruiter the `label` rows that `rule(company_id)` admits, besides those of other rules."""
    _claim(label, "rule")
    _RULES.setdefault(label, {})[name] = rule


def table() -> dict[str, object]:
    """Return what is registered: a path, "unscoped", or the sorted names of the rules, by model label."""
    found: dict[str, object] = dict(_PATHS)
    found.update(dict.fromkeys(_UNSCOPED, "unscoped"))
    found.update({label: sorted(rules) for label, rules in _RULES.items()})
    return dict(sorted(found.items()))


def recruiter_company_id(user) -> int | None:
    """Return the company id a user is limited to, or None when they see everything.

    A user in the Recruteurs group with no recruiter profile is limited to company 0 (nothing).
    """
    if not user.is_authenticated or user.is_superuser:
        return None
    # Asked many times per admin page: remember the answer on the user object of this request.
    if hasattr(user, "_company_scope"):
        return user._company_scope
    user._company_scope = _company_scope(user)
    return user._company_scope


def _company_scope(user) -> int | None:
    group_names = roles.group_names(user)
    if roles.COORDINATORS in group_names:
        return None
    recruiter = getattr(user, "recruiter", None)
    if recruiter is not None:
        return recruiter.company_id
    if roles.RECRUITERS in group_names:
        return 0
    return None


def scope_queryset(qs: QuerySet, user) -> QuerySet:
    """Return the part of `qs` that `user` may see."""
    company_id = recruiter_company_id(user)
    if company_id is None:
        return qs
    label = qs.model._meta.label_lower
    if label in _UNSCOPED:
        return qs
    if label in _RULES:
        return qs.filter(reduce(or_, (rule(company_id) for rule in _RULES[label].values())))
    path = _PATHS.get(label)
    if path is None:
        return qs.none()
    return qs.filter(**{path if path == "pk" else f"{path}_id": company_id})
