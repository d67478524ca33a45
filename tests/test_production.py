"""Production mode: settings pass Django's deployment checks, and gunicorn's config loads."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _production_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "CELERY_"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "shell.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/tangerang",
            "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
            "ALLOWED_HOSTS": "ayo.tangerangkota.go.id",
            **extra,
        }
    )
    return env


def test_production_settings_pass_check_deploy():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_its_services():
    for missing in ("SECRET_KEY", "CELERY_BROKER_URL"):
        env = _production_env()
        env.pop(missing)
        result = subprocess.run(
            [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
        )
        assert result.returncode != 0
        assert missing in result.stderr


def test_gunicorn_config_loads_with_its_defaults():
    env = _production_env(WEB_CONCURRENCY="3", PORT="8123")
    code = "import runpy; c = runpy.run_path('gunicorn.conf.py'); print(c['bind'], c['workers'], c['worker_class'])"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.stdout.split() == ["127.0.0.1:8123", "3", "gthread"], result.stderr


def test_the_procfile_runs_web_worker_and_beat():
    processes = dict(line.split(":", 1) for line in (ROOT / "Procfile").read_text().splitlines() if line.strip())
    assert set(processes) == {"web", "worker", "beat"}
    assert "gunicorn.conf.py" in processes["web"]
    assert "celery -A shell worker" in processes["worker"]
    assert "celery -A shell beat" in processes["beat"]


def test_keys_derived_from_the_secret_key_use_productions_not_the_development_default():
    env = _production_env(SECRET_KEY="the-production-secret-" + secrets.token_urlsafe(20))
    for name in ("XAPI_STATEMENT_ID_KEY", "OIDC_KEY_ENCRYPTION_KEY"):
        env.pop(name, None)
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECRET_KEY == s.XAPI_STATEMENT_ID_KEY == s.OIDC_KEY_ENCRYPTION_KEY)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.stdout.strip() == "True", result.stderr
