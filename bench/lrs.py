"""LRS benchmark (issue: a conformant xAPI LRS), run by `make bench`.

Starts the platform in production mode (gunicorn + a Celery worker, PostgreSQL, Redis) on a scratch
database, then measures in one run:
  - statements/s for POSTs of one statement, and of 100 statements per request;
  - p50/p95 of GET /xapi/statements?agent=...&limit=100 with BENCH_STATEMENTS (default 2,000,000) stored;
and, as baselines on the same machine and database server:
  - raw PostgreSQL inserts of the same rows, one row per transaction and executemany in batches of 100;
  - the raw indexed SQL query for the same agents.
Environment: BENCH_DB (default postgres://postgres@127.0.0.1:5432/lrs_bench), BENCH_REDIS
(redis://127.0.0.1:6379/12), BENCH_STATEMENTS, BENCH_SECONDS (per ingest phase, default 15).
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

import psycopg
import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.common import production_env  # noqa: E402

DB_URL = os.environ.get("BENCH_DB", "postgres://postgres@127.0.0.1:5432/lrs_bench")
REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/12")
TOTAL = int(os.environ.get("BENCH_STATEMENTS", "2000000"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "15"))
PORT = 8765
BASE = f"http://127.0.0.1:{PORT}/xapi"
KEY, SECRET = "bench", "bench-secret-123"
AUTH = {
    "Authorization": "Basic " + base64.b64encode(f"{KEY}:{SECRET}".encode()).decode(),
    "X-Experience-API-Version": "1.0.3",
    "Content-Type": "application/json",
}
AGENTS = max(1, min(20000, TOTAL // 100))  # 100 statements per agent, as a limit=100 query reads
ENV = production_env(DB_URL, REDIS)
PY = sys.executable


def run(*args: str) -> None:
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=ENV, check=True, stdout=subprocess.DEVNULL)


def statement(agent: int) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "actor": {"objectType": "Agent", "name": f"Pegawai {agent}", "mbox": f"mailto:pegawai{agent}@bench.example"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/answered", "display": {"en-US": "answered"}},
        "object": {
            "objectType": "Activity",
            "id": f"http://bench.example/activity/{agent % 500}",
            "definition": {"name": {"id-ID": "Soal"}, "type": "http://adlnet.gov/expapi/activities/cmi.interaction"},
        },
        "result": {"score": {"scaled": 0.8, "raw": 8, "min": 0, "max": 10}, "success": True, "completion": True},
        "context": {"registration": str(uuid.uuid4()), "platform": "bench", "language": "id-ID"},
        "timestamp": "2026-03-01T08:15:30.123+07:00",
    }


def reset_database() -> None:
    admin = DB_URL.rsplit("/", 1)[0] + "/postgres"
    name = DB_URL.rsplit("/", 1)[1]
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    run("migrate", "--noinput", "-v0")
    run("collectstatic", "--noinput", "-v0")
    run("create_lrs_client", "Benchmark", "--key", KEY, "--secret", SECRET)


def preload(total: int) -> None:
    """Load `total` statements straight into the store with COPY (the LRS's own rows and keys)."""
    os.environ.update({k: v for k, v in ENV.items() if k in ("DATABASE_URL", "SECRET_KEY")})
    os.environ["DJANGO_SETTINGS_MODULE"] = "shell.settings.production"
    os.environ.update({"CELERY_BROKER_URL": REDIS, "USE_HTTPS": "false"})
    import django

    django.setup()
    from lms.xapi.actors import actor_ifi
    from lms.xapi.models import key

    verb_key = key("http://adlnet.gov/expapi/verbs/answered")
    start = time.perf_counter()
    with psycopg.connect(DB_URL) as conn, conn.cursor() as cur:
        with cur.copy(
            "COPY xapi_statement (id, actor_key, object_agent_key, verb, verb_key, activity_id, activity_key,"
            " registration, timestamp, stored, voided, data, projected_at) FROM STDIN"
        ) as copy:
            base = time.time() - total
            for i in range(total):
                agent = i % AGENTS
                s = statement(agent)
                stored = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(base + i)) + "+00:00"
                s["stored"], s["version"] = stored, "1.0.0"
                copy.write_row(
                    (
                        s["id"],
                        key(actor_ifi(s["actor"])),
                        "",
                        s["verb"]["id"],
                        verb_key,
                        s["object"]["id"],
                        key(s["object"]["id"]),
                        s["context"]["registration"],
                        s["timestamp"],
                        stored,
                        False,
                        json.dumps(s),
                        stored,
                    )
                )
        conn.commit()
        cur.execute("ANALYZE xapi_statement")
    print(f"preloaded {total:,} statements in {time.perf_counter() - start:.0f} s")


def start_servers() -> list[subprocess.Popen]:
    # The production configuration (gunicorn.conf.py), sized for this 2-core machine.
    web = subprocess.Popen(
        [PY, "-m", "gunicorn", "-c", "gunicorn.conf.py", "shell.wsgi"],
        cwd=ROOT,
        env={**ENV, "PORT": str(PORT), "WEB_CONCURRENCY": "4", "GUNICORN_THREADS": "4"},
    )
    worker = subprocess.Popen(
        [PY, "-m", "celery", "-A", "shell", "worker", "-c", "1", "--loglevel", "WARNING"],
        cwd=ROOT,
        env=ENV,
        stdout=subprocess.DEVNULL,
    )
    for _ in range(300):
        try:
            if requests.get(f"{BASE}/about", timeout=5).ok:
                return [web, worker]
        except requests.RequestException:
            time.sleep(0.2)
    for p in (web, worker):
        p.terminate()
    raise RuntimeError("gunicorn did not start")


class Conn:
    """A keep-alive HTTP/1.1 connection: far less client CPU per request than requests.Session,
    which matters when client and server share two cores."""

    def __init__(self) -> None:
        self.http = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)

    def get(self, path: str) -> tuple[int, bytes]:
        self.http.request("GET", path, headers=AUTH)
        response = self.http.getresponse()
        return response.status, response.read()

    def post(self, path: str, body: str) -> tuple[int, bytes]:
        self.http.request("POST", path, body=body.encode(), headers=AUTH)
        response = self.http.getresponse()
        return response.status, response.read()


def load(fn, threads: int, seconds: float) -> tuple[int, float]:
    """Run fn(connection) in threads for `seconds`; returns (items, elapsed)."""
    done, stop = [0] * threads, time.perf_counter() + seconds
    errors: list[str] = []

    def worker(n: int) -> None:
        session = Conn()
        while time.perf_counter() < stop:
            try:
                done[n] += fn(session)
            except AssertionError as error:
                errors.append(str(error))
                return

    start = time.perf_counter()
    pool = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    if errors:
        raise RuntimeError(errors[0])
    return sum(done), time.perf_counter() - start


def post_one(conn: Conn) -> int:
    status, body = conn.post("/xapi/statements", json.dumps(statement(random.randrange(AGENTS))))
    assert status == 200, body[:300]
    return 1


def post_batch(conn: Conn) -> int:
    status, body = conn.post("/xapi/statements", json.dumps([statement(random.randrange(AGENTS)) for _ in range(100)]))
    assert status == 200, body[:300]
    return 100


def raw_rows(n: int):
    from lms.xapi.actors import actor_ifi
    from lms.xapi.models import key

    rows = []
    for _ in range(n):
        s = statement(random.randrange(AGENTS))
        rows.append(
            (
                s["id"],
                key(actor_ifi(s["actor"])),
                "",
                s["verb"]["id"],
                key(s["verb"]["id"]),
                s["object"]["id"],
                key(s["object"]["id"]),
                s["context"]["registration"],
                s["timestamp"],
                "2026-03-01T01:15:30+00:00",
                False,
                json.dumps(s),
            )
        )
    return rows


RAW_INSERT = (
    "INSERT INTO bench_raw (id, actor_key, object_agent_key, verb, verb_key, activity_id, activity_key,"
    " registration, timestamp, stored, voided, data) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)"
)


def raw_baselines(seconds: float) -> tuple[float, float]:
    with psycopg.connect(DB_URL, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_raw")
        conn.execute("CREATE TABLE bench_raw (LIKE xapi_statement INCLUDING DEFAULTS INCLUDING INDEXES)")
    rows = raw_rows(20000)
    with psycopg.connect(DB_URL) as conn:
        n, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds / 3:
            conn.execute(RAW_INSERT, (str(uuid.uuid4()), *rows[n % len(rows)][1:]))
            conn.commit()
            n += 1
        single = n / (time.perf_counter() - start)
        n, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds / 3:
            batch = [(str(uuid.uuid4()),) + r[1:] for r in rows[(n % 200) * 100 : (n % 200) * 100 + 100]]
            with conn.cursor() as cur:
                cur.executemany(RAW_INSERT, batch)
            conn.commit()
            n += 1
        batched = n * 100 / (time.perf_counter() - start)
    return single, batched


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def agent_query(samples: int = 400) -> tuple[float, float, float, float]:
    """The same random agents through the API and as raw SQL, interleaved (which goes first alternates),
    so that neither side gets the other's warmed cache."""
    from lms.xapi.models import key

    agents = [random.randrange(AGENTS) for _ in range(samples)]
    conn, api, raw = Conn(), [], []
    sql = "SELECT data FROM xapi_statement WHERE actor_key = %s AND NOT voided ORDER BY stored DESC LIMIT 100"
    with psycopg.connect(DB_URL) as db:

        def via_api(a: int) -> None:
            agent = json.dumps({"mbox": f"mailto:pegawai{a}@bench.example"})
            path = "/xapi/statements?" + urllib.parse.urlencode({"agent": agent, "limit": 100})
            t = time.perf_counter()
            status, body = conn.get(path)
            api.append((time.perf_counter() - t) * 1000)
            assert status == 200 and len(json.loads(body)["statements"]) == 100, body[:200]

        def via_sql(a: int) -> None:
            t = time.perf_counter()
            db.execute(sql, (key(f"mbox:mailto:pegawai{a}@bench.example"),)).fetchall()
            raw.append((time.perf_counter() - t) * 1000)

        for n, a in enumerate(agents):
            first, second = (via_api, via_sql) if n % 2 else (via_sql, via_api)
            first(a)
            second(a)
    return percentile(api, 50), percentile(api, 95), percentile(raw, 50), percentile(raw, 95)


def main() -> None:
    print(f"== LRS benchmark: {TOTAL:,} statements stored, {SECONDS:.0f} s per ingest phase")
    reset_database()
    preload(TOTAL)
    procs = start_servers()
    try:
        single_raw, batch_raw = raw_baselines(SECONDS)
        one, t1 = load(post_one, threads=16, seconds=SECONDS)
        many, t2 = load(post_batch, threads=4, seconds=SECONDS)
        p50, p95, raw50, raw95 = agent_query()
    finally:
        for p in procs:
            p.send_signal(signal.SIGTERM)
        for p in procs:
            p.wait(timeout=30)
    single, batched = one / t1, many / t2
    print(f"{'measure':<48}{'LRS':>12}{'baseline':>12}{'ratio':>9}  target")
    print(
        f"{'POST 1 statement/request (statements/s)':<48}{single:>12.0f}{single_raw:>12.0f}"
        f"{single / single_raw:>9.2f}  >= 0.40"
    )
    print(
        f"{'POST 100 statements/request (statements/s)':<48}{batched:>12.0f}{batch_raw:>12.0f}"
        f"{batched / batch_raw:>9.2f}  >= 0.50"
    )
    print(f"{'GET ?agent&limit=100 p50 (ms)':<48}{p50:>12.1f}{raw50:>12.1f}{p50 / raw50:>9.2f}")
    print(f"{'GET ?agent&limit=100 p95 (ms)':<48}{p95:>12.1f}{raw95:>12.1f}{p95 / raw95:>9.2f}  <= 3.00")


if __name__ == "__main__":
    main()
