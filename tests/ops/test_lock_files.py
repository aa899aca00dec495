"""The installer's pin (requirements/uv.txt) follows the lock: `make lock` writes both."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _pin(path: Path, name: str) -> tuple[str, set[str]]:
    text = path.read_text()
    block = re.search(rf"^{name}==(\S+)((?:\s*\\\n\s+--hash=\S+)+)", text, re.MULTILINE)
    assert block, f"{name} is not pinned in {path.name}"
    return block.group(1), set(re.findall(r"--hash=(\S+)", block.group(2)))


def test_uv_is_installed_at_the_lock_s_version_with_its_hashes():
    version, hashes = _pin(ROOT / "requirements" / "uv.txt", "uv")
    assert (version, hashes) == _pin(ROOT / "requirements" / "dev.txt", "uv")
    assert hashes


def test_the_makefile_installs_the_lock_with_hashes_checked():
    makefile = (ROOT / "Makefile").read_text()
    recipe = makefile.split("\n$(STAMP):", 1)[1].split("\n\n", 1)[0]
    assert "--require-hashes -r $(INSTALLER)" in recipe
    assert "$(UV) pip install --quiet --python $(PY) --require-hashes -r $(LOCK)" in recipe
