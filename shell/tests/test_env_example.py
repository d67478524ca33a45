"""Every environment variable the settings read is listed in .env.example (the operators' reference)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def test_every_variable_the_settings_read_is_in_env_example():
    read = set()
    for path in (ROOT / "shell" / "settings").glob("*.py"):
        read |= set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z][A-Z0-9_]+)"', path.read_text()))
    listed = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), flags=re.M))
    assert read, "no variables found: the pattern no longer matches the settings"
    assert sorted(read - listed) == []
