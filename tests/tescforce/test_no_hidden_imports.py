"""No first-party import hides inside a function to dodge a cycle: imports sit at the top of modules.

The one place for a late import is an AppConfig's ready(), where an app plugs into the registries of
the rooms below it. A services module that queues its own app's task names it
(`enqueue_on_commit("app.tasks.name", ...)`) instead of importing the tasks module, which imports it.
"""

import ast
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ROOTS = tuple(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["root_packages"])

# (module, function, imported module): the two-factor middleware, which settings' logging loads before the
# models exist (tests/tescforce/test_layers.py holds the same exception). Nothing from the apps belongs here.
ALLOWED = {
    ("tescforce.middleware", "TwoFactorMiddleware._redirect_for", "tescforce.models"),
    ("tescforce.middleware", "TwoFactorMiddleware._redirect_for", "tescforce.permissions"),
}


def _modules():
    for package in ROOTS:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.relative_to(ROOT).parts:
                yield path


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _targets(node: ast.ImportFrom, module: str, is_package: bool) -> list[str]:
    """The modules a `from … import` reads (`from . import tasks` reads `<package>.tasks`), relative
    ones resolved against `module`."""
    if node.level == 0:
        source = node.module or ""
    else:
        base = module.split(".") if is_package else module.split(".")[:-1]
        base = base[: len(base) - (node.level - 1)]
        source = ".".join(base + ([node.module] if node.module else []))
    folder = ROOT.joinpath(*source.split("."))
    return [f"{source}.{alias.name}" if (folder / f"{alias.name}.py").exists()
            or (folder / alias.name / "__init__.py").exists() else source for alias in node.names]


def _is_app_config(node: ast.ClassDef) -> bool:
    return any((isinstance(b, ast.Name) and b.id == "AppConfig")
               or (isinstance(b, ast.Attribute) and b.attr == "AppConfig") for b in node.bases)


def _file_hidden_imports(path: Path) -> set[tuple[str, str, str]]:
    module = _module_name(path)
    is_package = path.name == "__init__.py"
    found = set()

    def visit(node, scope: list[str], in_function: bool, in_ready: bool):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                visit(child, [*scope, child.name], in_function, in_ready)
                if _is_app_config(child):
                    for item in child.body:
                        if isinstance(item, ast.FunctionDef) and item.name == "ready":
                            visit(item, [*scope, child.name, "ready"], True, True)
            elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                if not (isinstance(node, ast.ClassDef) and _is_app_config(node) and child.name == "ready"):
                    visit(child, [*scope, child.name], True, in_ready)
            else:
                if in_function and not in_ready:
                    if isinstance(child, ast.Import):
                        targets = [alias.name for alias in child.names]
                    elif isinstance(child, ast.ImportFrom):
                        targets = _targets(child, module, is_package)
                    else:
                        targets = []
                    found.update((module, ".".join(scope), target) for target in targets
                                 if target.split(".")[0] in ROOTS)
                visit(child, scope, in_function, in_ready)

    visit(ast.parse(path.read_text(), filename=str(path)), [], False, False)
    return found


def hidden_imports() -> set[tuple[str, str, str]]:
    """Return (module, function, imported module) for every first-party import inside a function body,
    except inside an AppConfig's ready()."""
    return set().union(*(_file_hidden_imports(path) for path in _modules()))


def test_no_first_party_import_hides_inside_a_function():
    new = sorted(hidden_imports() - ALLOWED)
    assert new == [], "Import at the top of the module (or from an AppConfig's ready()): " + ", ".join(
        f"{module}.{function} imports {target}" for module, function, target in new)


def test_the_allowlist_holds_only_imports_still_there_and_only_in_the_core():
    assert sorted(ALLOWED - hidden_imports()) == []
    assert {module.split(".")[0] for module, _function, _target in ALLOWED} <= {"tescforce"}


def test_the_check_sees_a_dodged_import_and_spares_ready(tmp_path, monkeypatch):
    package = tmp_path / "companies"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "models.py").write_text("")
    (package / "services.py").write_text(
        "def dodge():\n    from candidates.models import Candidate\n\n    return Candidate\n\n\n"
        "class Helper:\n    def method(self):\n        from . import models\n\n        return models\n")
    (package / "apps.py").write_text(
        "from django.apps import AppConfig\n\n\nclass CompaniesConfig(AppConfig):\n"
        "    def ready(self):\n        from candidates import pending  # noqa: F401\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)

    assert hidden_imports() == {("companies.services", "dodge", "candidates.models"),
                                ("companies.services", "Helper.method", "companies.models")}
