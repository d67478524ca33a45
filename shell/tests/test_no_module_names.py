"""The shell core names no module: no permission, task, model label, URL or event of a module appears in
a string of its code. Modules hand all of that to the shell through the registry (their Module
declaration). Settings, which mount modules by name, and tests are not the core's code."""

import io
import re
import tokenize
from pathlib import Path

SHELL = Path(__file__).resolve().parent.parent
MODULE_NAMES = re.compile(
    r"""^[rbuf]*['"]{1,3}.*?(?<![\w.-])/?(lms|hours|xapi|classroom|claims|certificates|reports|layanan|kinerja|content|h5p)(?:\.\w|/)""",
    re.DOTALL,
)


def _core_files():
    for path in sorted(SHELL.rglob("*.py")):
        parts = path.relative_to(SHELL).parts
        if parts[0] in ("modules", "settings") or "tests" in parts or "migrations" in parts:
            continue
        yield path


def test_the_shell_core_names_no_module_in_its_strings():
    found = []
    for path in _core_files():
        for token in tokenize.generate_tokens(io.StringIO(path.read_text()).readline):
            if token.type == tokenize.STRING and MODULE_NAMES.search(token.string):
                found.append(f"{path.relative_to(SHELL.parent)}:{token.start[0]}: {token.string[:80]}")
    assert found == []


def test_the_check_would_see_one():
    assert MODULE_NAMES.search('"lms.view_team_learning"') and MODULE_NAMES.search("'/xapi/'")
    assert MODULE_NAMES.search('"hours.LedgerEntry"') and MODULE_NAMES.search('f"reports.expire_exports"')
    assert not MODULE_NAMES.search('"people.view_team"') and not MODULE_NAMES.search('"application/json"')
    assert not MODULE_NAMES.search('"belajar, layanan, dan kinerja."')  # prose, not a name
