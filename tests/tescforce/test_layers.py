"""The layers' arrows (pyproject.toml's [tool.importlinter]) hold, and the check does fail on a backward import."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - a fixed command line
        [str(LINT_IMPORTS), "--no-cache"], cwd=cwd, capture_output=True, text=True, timeout=120, check=False)


def test_every_contract_is_kept():
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_a_backward_import_inside_a_function_breaks_a_contract(tmp_path):
    # A copy of the code with one import dodged into a function: companies must not see hotline.
    for package in ("tescforce", "companies", "candidates", "events", "hotline", "matching", "showroom",
                    "prospecting"):
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__", "locale",
                                                                                       "static", "templates"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    with open(tmp_path / "companies" / "services.py", "a") as f:
        f.write("\n\ndef _dodge():\n    from hotline.models import HotlineCall\n\n    return HotlineCall\n")

    result = _lint(tmp_path)

    assert result.returncode == 1, result.stdout + result.stderr
    assert "companies is not allowed to import hotline" in result.stdout
    assert "companies.services -> hotline.models" in result.stdout
