"""Links point at the address the platform is served at: one setting (SITE_URL), which `make run` sets
from HOST and PORT, and one helper (shell/site.py) that builds every absolute link on it. Our xAPI IRIs
are identifiers, not links: another PORT must not change them."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from conftest import require

ROOT = Path(__file__).resolve().parent.parent
# Places that may read SITE_URL or the request's host to build an absolute URL, and why.
ALLOWED = {
    "shell/site.py": "the one helper",
    # The H5P player's own resources, fetched by the browser inside the page it is on: they must
    # share that page's origin (cookies, the content security policy), whatever SITE_URL says.
    "content/h5p/views.py": "same-origin player resources",
    # Embeds of the video hosts an admin allows (VIDEO_EMBED_HOSTS): their address, never ours.
    "content/video.py": "the outside video players' embed addresses",
}
ABSOLUTE = re.compile(r"settings\.SITE_URL|build_absolute_uri\(|request\.get_host\(\)\s*\+|f\"https?://\{")


def _clean_env(**extra: str) -> dict[str, str]:
    drop = {"SITE_URL", "HOST", "PORT", "XAPI_IRI_BASE", "XAPI_ACTIVITY_ROOT", "XAPI_ACCOUNT_HOMEPAGE", "MAKEFLAGS"}
    return {**{k: v for k, v in os.environ.items() if k not in drop}, **extra}


def test_absolute_links_are_built_by_one_helper():
    offenders = []
    for package in ("shell", "lms", "content", "reports", "fixtures"):
        for path in (ROOT / package).rglob("*.py"):
            rel = path.relative_to(ROOT).as_posix()
            if "/tests/" in rel or "/settings/" in rel or "/migrations/" in rel or rel in ALLOWED:
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if ABSOLUTE.search(line):
                    offenders.append(f"{rel}:{number}: {line.strip()}")
    assert not offenders, "build absolute links with shell.site.site_url():\n" + "\n".join(offenders)


@pytest.mark.parametrize(
    "args, site",
    [
        (["PORT=8123"], "http://127.0.0.1:8123"),
        (["HOST=localhost", "PORT=9000"], "http://localhost:9000"),
        (["HOST=0.0.0.0", "SITE_URL=http://192.168.1.20:8000"], "http://192.168.1.20:8000"),
    ],
)
def test_make_run_links_to_where_it_serves(args, site):
    require(shutil.which("make") is not None, "make is missing")
    result = subprocess.run(
        ["make", "-n", "run", *args], cwd=ROOT, env=_clean_env(), capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    runserver = next(line for line in lines if "manage.py runserver" in line)
    load_demo = next(line for line in lines if "manage.py load_demo" in line)
    assert runserver.startswith(f"SITE_URL={site} ") and load_demo.startswith(f"SITE_URL={site} ")
    host, port = (dict(a.split("=", 1) for a in args).get(k) for k in ("HOST", "PORT"))
    assert runserver.endswith(f"runserver {host or '127.0.0.1'}:{port or '8000'}")


@pytest.mark.django_db
def test_load_demo_tells_the_sites_address(settings, monkeypatch, capsys):
    from fixtures.management.commands import load_demo
    from shell import hooks

    settings.SITE_URL = "http://127.0.0.1:8123"
    monkeypatch.setattr(load_demo, "load_demo", lambda: {"created": False})  # the accounts' hint only
    monkeypatch.setattr(hooks, "get_hooks", lambda name: [])
    call_command("load_demo")
    out = capsys.readouterr().out
    assert "http://127.0.0.1:8123/masuk/" in out and "http://127.0.0.1:8123/xapi/" in out
    assert ":8000" not in out


def _settings_of(module: str, **env: str) -> dict[str, str]:
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; print(json.dumps({k: "
        "str(getattr(s, k)) for k in ('SITE_URL', 'XAPI_ACTIVITY_ROOT', 'XAPI_ACCOUNT_HOMEPAGE', "
        "'XAPI_CLIENT_HOMEPAGE', 'ALLOWED_HOSTS')}))"
    )
    environment = _clean_env(
        DJANGO_SETTINGS_MODULE=module,
        SECRET_KEY="test-only",
        DATABASE_URL="postgres://nobody@127.0.0.1:9/nowhere",
        CELERY_BROKER_URL="redis://127.0.0.1:9/0",
        **env,
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    import json

    return json.loads(result.stdout)


def test_make_runs_port_moves_the_links_not_the_iris():
    """Under the local settings (`make run`) the IRIs keep the demo's root whatever SITE_URL is: statements
    recorded on port 8000 are still ours on port 8123."""
    moved = _settings_of("shell.settings.local", SITE_URL="http://127.0.0.1:8123")
    assert moved["SITE_URL"] == "http://127.0.0.1:8123"
    assert moved["XAPI_ACTIVITY_ROOT"] == "http://127.0.0.1:8000/xapi/activities"
    assert moved["XAPI_ACCOUNT_HOMEPAGE"] == "http://127.0.0.1:8000"
    assert moved["XAPI_CLIENT_HOMEPAGE"] == "http://127.0.0.1:8000/xapi/clients"
    lan = _settings_of("shell.settings.local", SITE_URL="http://192.168.1.20:8000")
    assert "192.168.1.20" in lan["ALLOWED_HOSTS"]  # phones on the network may open what the QR says


def test_production_iris_stay_rooted_at_its_site_url():
    """What a deployment set before stays as it was: IRIs under its SITE_URL unless XAPI_IRI_BASE says."""
    prod = _settings_of("shell.settings.production", SITE_URL="https://belajar.tangerangkota.go.id")
    assert prod["XAPI_ACTIVITY_ROOT"] == "https://belajar.tangerangkota.go.id/xapi/activities"
    assert prod["XAPI_ACCOUNT_HOMEPAGE"] == "https://belajar.tangerangkota.go.id"
    assert prod["XAPI_CLIENT_HOMEPAGE"] == "https://belajar.tangerangkota.go.id/xapi/clients"
    kept = _settings_of(
        "shell.settings.production", SITE_URL="https://baru.example", XAPI_IRI_BASE="https://belajar.example"
    )
    assert kept["XAPI_ACTIVITY_ROOT"] == "https://belajar.example/xapi/activities"
