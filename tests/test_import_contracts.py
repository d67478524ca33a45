"""The import contracts (.importlinter, checked by `make lint`) hold for the real tree, and they bite: a
copy of the packages with one forbidden import added fails, naming the contract it breaks.

The forbidden imports are written into a throwaway copy of the packages (only their .py files), never
into the work tree, so concurrent test runs and the developer's editor never see them."""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / ".importlinter"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
PACKAGES = ("shell", "lms", "content", "reports")


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(root / ".importlinter"), "--no-cache"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    """The packages' Python files and the contract file, copied once for this module's tests."""
    root = tmp_path_factory.mktemp("contracts")
    for package in PACKAGES:
        for source in (ROOT / package).rglob("*.py"):
            if "__pycache__" in source.parts:
                continue
            target = root / source.relative_to(ROOT)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
    shutil.copyfile(CONFIG, root / ".importlinter")
    return root


@pytest.fixture
def probe(tree):
    """Write a module with a forbidden import into the copy; removed after the test."""
    written: list[Path] = []

    def write(module: str, source: str) -> Path:
        path = tree / (module.replace(".", "/") + ".py")
        path.write_text(source)
        written.append(path)
        return path

    yield write
    for path in written:
        path.unlink()


def test_the_real_tree_keeps_every_contract():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" in result.stdout and " 0 broken" in result.stdout


def test_the_copy_keeps_every_contract_before_a_probe(tree):
    result = lint_imports(tree)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("module", "source", "contract"),
    [
        ("content._probe", "import lms.models\n", "Content imports no module BROKEN"),
        ("content._probe", "def late():\n    from reports import selectors\n", "Content imports no module BROKEN"),
        ("shell.home._probe", "from lms.models import Enrollment\n", "The shell core imports no module BROKEN"),
        (
            "shell.people._probe",
            "from shell.modules.kinerja import models\n",
            "The shell core imports no module BROKEN",
        ),
        (
            "shell.modules.layanan._probe",
            "from shell.modules.kinerja import services\n",
            "Modules do not import each other BROKEN",
        ),
        ("lms._probe", "from reports import selectors\n", "Modules do not import each other BROKEN"),
        (
            "reports._probe",
            "from lms.hours.models import LedgerEntry\n",
            "Reports read the LMS through its selectors only BROKEN",
        ),
        ("reports._probe", "from lms import services\n", "Reports read the LMS through its selectors only BROKEN"),
    ],
)
def test_a_forbidden_import_breaks_its_contract(probe, tree, module, source, contract):
    probe(module, source)
    result = lint_imports(tree)
    assert result.returncode == 1, result.stdout + result.stderr
    assert contract in result.stdout
    assert module in result.stdout  # the offending import is named


def test_reading_the_lms_through_its_selectors_is_allowed(probe, tree):
    probe("reports._probe", "from lms.hours.selectors import year_totals\nfrom lms.selectors import year_progress\n")
    result = lint_imports(tree)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_part_of_the_shell_core_is_under_the_contract():
    """A new file or package in shell/ is checked too: the shell-core contract lists every one of them."""
    config = configparser.ConfigParser()
    config.read(CONFIG)
    listed = set(config["importlinter:contract:shell-core"]["source_modules"].split())
    present = {
        f"shell.{path.stem}"
        for path in (ROOT / "shell").iterdir()
        if (path.suffix == ".py" and path.stem != "__init__") or (path / "__init__.py").exists()
    }
    assert present - {"shell.modules"} == listed
