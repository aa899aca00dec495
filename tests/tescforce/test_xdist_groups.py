"""The Redis tests rely on `--dist loadgroup` keeping one xdist_group on one worker (tests/conftest.py marks
them at collection): check the installed pytest and pytest-xdist do, for a mark written on the test and for
one added by a conftest hook the way ours adds it (pytest 9.2 with pytest-xdist 3.8 spread both; a hook that
ran after pytest-xdist's own was never grouped)."""

import subprocess
import sys

import pytest

STATIC = (
    "import os, pytest\n"
    "@pytest.mark.xdist_group('shared')\n"
    "@pytest.mark.parametrize('i', range(8))\n"
    "def test_member(i, tmp_path_factory):\n"
    "    out = tmp_path_factory.getbasetemp().parent.parent / f'member-{i}'\n"
    "    out.write_text(os.environ['PYTEST_XDIST_WORKER'])\n"
)
DYNAMIC_CONFTEST = (
    "import pytest\n"
    "@pytest.hookimpl(tryfirst=True)\n"
    "def pytest_collection_modifyitems(items):\n"
    "    for item in items:\n"
    "        item.add_marker(pytest.mark.xdist_group('shared'))\n"
)


@pytest.mark.parametrize("how", ["mark on the test", "mark added by a conftest hook"])
def test_one_xdist_group_runs_on_one_worker(tmp_path, how):
    if how == "mark on the test":
        (tmp_path / "test_grouped.py").write_text(STATIC)
    else:
        (tmp_path / "conftest.py").write_text(DYNAMIC_CONFTEST)
        (tmp_path / "test_grouped.py").write_text(STATIC.replace("@pytest.mark.xdist_group('shared')\n", ""))
    result = subprocess.run(  # noqa: S603 - the running Python on a file of ours
        [sys.executable, "-m", "pytest", "-p", "no:django", "-p", "no:cacheprovider", "-n", "2", "--dist",
         "loadgroup", "-q", "--basetemp", str(tmp_path / "base"), "test_grouped.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    workers = {(tmp_path / f"member-{i}").read_text() for i in range(8)}
    assert len(workers) == 1, workers
