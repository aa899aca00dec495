"""The layers' arrows (pyproject.toml's [tool.importlinter]) hold, and the check does fail on a backward import."""

import ast
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from tests.imports import function_imports

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
CORE = ROOT / "tescforce"
# The site: the only part of tescforce allowed to import the apps.
SITE = {"tescforce.site", "tescforce.urls"}
# Imports inside a function the core keeps, each for a reason written beside it.
LATE_IMPORTS_ALLOWED = {
    ("apps.py", "ready"),  # the app registry, as every room does
    ("middleware.py", "_redirect_for"),  # settings' LOGGING imports the module before the models are loaded
    ("pdf.py", "_weasyprint"),  # WeasyPrint costs 0.5 s and 40 MB to import: loaded on the first PDF only
}


def _lint(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - a fixed command line
        [str(LINT_IMPORTS), "--no-cache"], cwd=cwd, capture_output=True, text=True, timeout=120, check=False)


def test_every_contract_is_kept():
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_a_backward_import_inside_a_function_breaks_a_contract(tmp_path):
    # A copy of the code with one import dodged into a function: companies must not see hotline.
    for package in ("tescforce", "companies", "candidates", "events", "hotline", "matching", "partners", "alerts",
                    "showroom", "prospecting"):
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__", "locale",
                                                                                       "static", "templates"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    with open(tmp_path / "companies" / "services.py", "a") as f:
        f.write("\n\ndef _dodge():\n    from hotline.models import HotlineCall\n\n    return HotlineCall\n")

    result = _lint(tmp_path)

    assert result.returncode == 1, result.stdout + result.stderr
    assert "companies is not allowed to import hotline" in result.stdout
    assert "companies.services -> hotline.models" in result.stdout


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _in(module: str, packages) -> bool:
    return any(module == package or module.startswith(f"{package}.") for package in packages)


def _core_contract() -> dict:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return next(c for c in config["tool"]["importlinter"]["contracts"] if c["id"] == "core")


def _core_files() -> list[Path]:
    return [path for path in sorted(CORE.rglob("*.py")) if not _in(_module_name(path), SITE)]


def test_every_core_module_is_checked_by_the_core_contract():
    listed = _core_contract()["source_modules"]
    modules = [_module_name(path) for path in _core_files()]
    # The package's own __init__ cannot be listed without its site: it may import only listed modules.
    assert "tescforce" in modules
    unchecked = [module for module in modules if module != "tescforce" and not _in(module, listed)]
    assert unchecked == [], "add these to the core contract of pyproject.toml, or move them into tescforce/site/"
    package_imports = [f"tescforce.{node.module}" if node.level else node.module
                       for node in ast.walk(ast.parse((CORE / "__init__.py").read_text()))
                       if isinstance(node, ast.ImportFrom)]
    assert package_imports and all(_in(module, listed) for module in package_imports)
    assert not any(_in(module, SITE) for module in listed)


def test_the_core_contract_forbids_every_app():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    apps = set(config["root_packages"]) - {"tescforce"}
    contract = _core_contract()
    assert set(contract["forbidden_modules"]) == apps
    assert not contract.get("allow_indirect_imports") and not contract.get("ignore_imports")


def test_the_core_imports_nothing_inside_a_function_but_its_app_registry():
    offending = [f"{path.relative_to(ROOT)}:{line} {module}" for path in _core_files()
                 if "migrations" not in path.parts
                 for module, line, function in function_imports(path)
                 if (str(path.relative_to(CORE)), function) not in LATE_IMPORTS_ALLOWED]
    assert offending == []
