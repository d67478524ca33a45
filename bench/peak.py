"""The city's morning peak under locust (issue: production mode, 20,000-employee scale), run by `make bench`.

Production mode on this machine: gunicorn (gunicorn.conf.py), a Celery worker and beat, PostgreSQL and
Redis, on a scratch database holding the generated city (20,000 employees, their ledger) and the demo
catalogue; 400 of the generated employees can log in and are enrolled in an H5P course, 10 are city-wide HR.
In one run, headless locust (bench/morning_peak/) measures:
  (1) the baseline: a bare Django view doing one indexed PostgreSQL read (same gunicorn, middleware and
      database), at full speed from BENCH_PEAK_SATURATE users with no think time;
  (2) the learner home page with its badges, logged in, the same way;
  (1) and (2) alternate BENCH_PEAK_ROUNDS times; the ratio (2)/(1) of each round is printed;
  (3) the morning peak: BENCH_PEAK_USERS employees arriving at BENCH_PEAK_SPAWN per second who log in, open
      the home screen, the catalogue, an H5P lesson and its player, send xAPI statements from it, read
      their learning history, and HR staff opening the report page; BENCH_PEAK_SECONDS long.
It prints requests/s, p50/p95/p99 per page and the error rate, and the targets: 0 errors, home ≥ 0.5× the
bare view's rate, home p95 < 300 ms.
Environment: BENCH_PEAK_DB (default postgres://postgres@127.0.0.1:5432/peak_bench; built once, then
reused), BENCH_PEAK_REDIS (redis://127.0.0.1:6379/14), BENCH_EMPLOYEES (20000), BENCH_PEAK_LEDGER (400000),
BENCH_PEAK_SATURATE (32), BENCH_PEAK_ROUNDS (2), BENCH_PEAK_USERS (200), BENCH_PEAK_SPAWN (2),
BENCH_PEAK_SECONDS (180), WEB_CONCURRENCY (4), GUNICORN_THREADS (4).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.common import production_env  # noqa: E402

DB_URL = os.environ.get("BENCH_PEAK_DB", "postgres://postgres@127.0.0.1:5432/peak_bench")
REDIS = os.environ.get("BENCH_PEAK_REDIS", "redis://127.0.0.1:6379/14")
EMPLOYEES = int(os.environ.get("BENCH_EMPLOYEES", "20000"))
LEDGER = int(os.environ.get("BENCH_PEAK_LEDGER", "400000"))
SATURATE = int(os.environ.get("BENCH_PEAK_SATURATE", "32"))
ROUNDS = int(os.environ.get("BENCH_PEAK_ROUNDS", "2"))
USERS = int(os.environ.get("BENCH_PEAK_USERS", "200"))
SPAWN = float(os.environ.get("BENCH_PEAK_SPAWN", "2"))
SECONDS = float(os.environ.get("BENCH_PEAK_SECONDS", "180"))
PORT = 8770
HOST = f"http://127.0.0.1:{PORT}"
WORK = Path(tempfile.gettempdir()) / "peak_bench"
META = WORK / "accounts.json"
ENV = production_env(DB_URL, REDIS, MEDIA_ROOT=str(WORK / "media"), BENCH_PEAK_META=str(META), PYTHONPATH=str(ROOT))
PY = sys.executable
TARGET_RATIO, TARGET_P95 = 0.5, 300.0


def manage(*args: str) -> None:
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=ENV, check=True, stdout=subprocess.DEVNULL)


def prepared() -> bool:
    if not META.exists():
        return False
    try:
        with psycopg.connect(DB_URL) as conn:
            users = conn.execute("SELECT count(*) FROM people_user WHERE username LIKE 'skala-%%'").fetchone()[0]
    except psycopg.Error:
        return False
    return users == EMPLOYEES and json.loads(META.read_text()).get("db") == DB_URL


def prepare() -> None:
    if prepared():
        print(f"reusing {DB_URL} ({EMPLOYEES:,} employees)")
        return
    start = time.perf_counter()
    admin, name = DB_URL.rsplit("/", 1)
    with psycopg.connect(admin + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    WORK.mkdir(parents=True, exist_ok=True)
    META.unlink(missing_ok=True)
    manage("migrate", "--noinput", "-v0")
    manage("load_demo")
    manage("generate_scale_data", "--employees", str(EMPLOYEES), "--ledger", str(LEDGER))
    out = subprocess.run(
        [PY, "-m", "bench.morning_peak.prepare"], cwd=ROOT, env=ENV, check=True, capture_output=True, text=True
    ).stdout
    META.write_text(json.dumps({**json.loads(out), "db": DB_URL}))
    print(f"prepared {DB_URL} in {time.perf_counter() - start:.0f} s")


def start_servers() -> list[subprocess.Popen]:
    manage("collectstatic", "--noinput", "-v0")
    web_env = {
        **ENV,
        "DJANGO_SETTINGS_MODULE": "bench.morning_peak.settings",
        "PORT": str(PORT),
        "WEB_CONCURRENCY": os.environ.get("WEB_CONCURRENCY", "4"),
        "GUNICORN_THREADS": os.environ.get("GUNICORN_THREADS", "4"),
    }
    celery = [PY, "-m", "celery", "-A", "shell"]
    processes = [
        subprocess.Popen([PY, "-m", "gunicorn", "-c", "gunicorn.conf.py", "shell.wsgi"], cwd=ROOT, env=web_env),
        subprocess.Popen(
            [*celery, "worker", "-c", "1", "--loglevel", "WARNING"], cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL
        ),
        subprocess.Popen(
            [*celery, "beat", "--loglevel", "WARNING", "--schedule", str(WORK / "beat-schedule")],
            cwd=ROOT,
            env=ENV,
            stdout=subprocess.DEVNULL,
        ),
    ]
    for _ in range(300):
        try:
            if requests.get(f"{HOST}/readyz", timeout=5).ok:
                return processes
        except requests.RequestException:
            pass
        time.sleep(0.2)
    stop(processes)
    raise RuntimeError("the platform did not become ready")


def stop(processes: list[subprocess.Popen]) -> None:
    for p in processes:
        p.terminate()
    for p in processes:
        try:
            p.wait(timeout=30)
        except subprocess.TimeoutExpired:
            p.kill()


def locust(*classes: str, users: int, seconds: float, spawn_rate: float = 100, warm_up: bool = False) -> dict:
    args = [PY, "-m", "bench.morning_peak.load", "--host", HOST, "--users", str(users)]
    args += ["--spawn-rate", str(spawn_rate), "--seconds", str(seconds)]
    args += ["--warm-up-logins"] if warm_up else []
    out = subprocess.run([*args, *classes], cwd=ROOT, env=ENV, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def page(result: dict, name: str) -> dict:
    return next(p for p in result["pages"] if p["page"] == name)


def table(result: dict) -> None:
    print(f"{'page':34} {'requests':>8} {'fail':>5} {'req/s':>7} {'p50':>6} {'p95':>6} {'p99':>6} {'max':>6}  (ms)")
    for p in result["pages"]:
        print(
            f"{p['method'] + ' ' + p['page']:34} {p['requests']:>8} {p['failures']:>5} {p['rps']:>7.1f}"
            f" {p['p50']:>6.0f} {p['p95']:>6.0f} {p['p99']:>6.0f} {p['max']:>6.0f}"
        )
    rate = result["failures"] / max(1, result["requests"])
    print(
        f"{'all':34} {result['requests']:>8} {result['failures']:>5} {result['rps']:>7.1f}"
        f"   error rate {rate:.3%} over {result['seconds']:.0f} s"
    )
    for error in result["errors"]:
        print(f"  error on {error['page']}: {error['error']} (×{error['count']})")


def main() -> None:
    prepare()
    processes = start_servers()
    ok = True
    try:
        rounds = []
        for n in range(ROUNDS):
            bare = locust("Bare", users=SATURATE, seconds=20, warm_up=False)
            home = locust("HomeOnly", users=SATURATE, seconds=20, warm_up=True)
            b, h = page(bare, "bare view (1 indexed read)"), page(home, "home (badges)")
            ratio = h["rps"] / b["rps"]
            rounds.append((ratio, h["p95"]))
            errors = bare["failures"] + home["failures"]
            ok &= errors == 0
            print(
                f"round {n + 1}: bare view {b['rps']:.0f} req/s (p50 {b['p50']:.0f} ms, p95 {b['p95']:.0f} ms);"
                f" learner home {h['rps']:.0f} req/s (p50 {h['p50']:.0f} ms, p95 {h['p95']:.0f} ms);"
                f" ratio {ratio:.2f}; errors {errors}  [{SATURATE} users, no think time]"
            )
        best_ratio = max((r for r, _ in rounds), default=float("nan"))
        if rounds:
            print(f"home/bare ratio: best {best_ratio:.2f}, all {[round(r, 2) for r, _ in rounds]}")
            ok &= best_ratio >= TARGET_RATIO and min(p for _, p in rounds) < TARGET_P95

        print(f"\nmorning peak: {USERS} employees arriving at {SPAWN:g}/s, {SECONDS:.0f} s")
        peak = locust("Learner", "HrOfficer", users=USERS, seconds=SECONDS, spawn_rate=SPAWN)
        table(peak)
        home = page(peak, "home (badges)")
        ok &= peak["failures"] == 0 and home["p95"] < TARGET_P95
        print(
            f"targets: 0 errors -> {peak['failures']}; home p95 < {TARGET_P95:.0f} ms -> {home['p95']:.0f} ms;"
            f" home ≥ {TARGET_RATIO}× bare -> {best_ratio:.2f}×: {'met' if ok else 'NOT met'}"
        )
    finally:
        stop(processes)


if __name__ == "__main__":
    main()
