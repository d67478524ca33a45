"""Fault: PostgreSQL restarted under load. While it is away every request fails cleanly (503 with
Retry-After and a message, never a 500, a dropped connection or a hung request), and when it is back
every page and the LRS work again by themselves: nobody restarts gunicorn.

The platform runs as in production (gunicorn.conf.py, shell.settings.production: persistent
connections, no health check before each request) against a PostgreSQL cluster of the test's own
(tests/private_postgres.py), which it stops and starts. It does not use the suite's database, so it
runs the same on the SQLite and the PostgreSQL runs.
"""

from __future__ import annotations

import base64
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests

from conftest import require
from lms.xapi.tests.lrs import statement
from tests.private_postgres import PrivatePostgres, unavailable_reason
from tests.workers import free_port, wait_for

ROOT = Path(__file__).resolve().parent.parent
USERNAME, PASSWORD = "pegawai-gangguan", "sandi-uji-gangguan-123"
LRS_KEY, LRS_SECRET = "gangguan", "rahasia-gangguan-123"
CLIENT_TIMEOUT = 10  # seconds: a request that takes longer is "hung"
LOAD_THREADS = 6
AFTER_REQUESTS = 50  # per endpoint, once recovered

LRS_HEADERS = {
    "Authorization": "Basic " + base64.b64encode(f"{LRS_KEY}:{LRS_SECRET}".encode()).decode(),
    "X-Experience-API-Version": "1.0.3",
}
# name: (path, headers)
ENDPOINTS: dict[str, tuple[str, dict[str, str]]] = {
    "home": ("/", {"Accept": "text/html"}),  # the learner's session and user, then the tiles
    "api": ("/api/me/", {"Accept": "application/json"}),  # DRF, session authentication
    "xapi": ("/xapi/statements?limit=5", LRS_HEADERS),  # the LRS, Basic-authenticated client
    "readyz": ("/readyz", {}),  # checks the database itself
    "healthz": ("/healthz", {}),  # the process only
}
DB_PAGES = ("home", "api", "xapi")  # the 503 of these is the product's database-outage answer

SETTINGS = """\
from shell.settings.production import *  # noqa: F403
from shell.settings.production import STORAGES

# Static files by their plain names (nothing collected for the test); everything else as in production.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
"""

SETUP = f"""\
from lms.xapi.services import lrs_client_save
from shell.people.models import User

User.objects.create_user(username={USERNAME!r}, password={PASSWORD!r})
lrs_client_save(name="Uji gangguan", key={LRS_KEY!r}, secret={LRS_SECRET!r}, scopes=["all"])
"""


@dataclass
class Platform:
    pg: PrivatePostgres
    env: dict[str, str]
    folder: Path
    cookies: dict[str, str] = field(default_factory=dict)

    def manage(self, *args: str) -> None:
        result = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=300
        )
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


@dataclass
class Web:
    base: str
    process: subprocess.Popen
    log: Path

    def log_tail(self, chars: int = 4000) -> str:
        return self.log.read_text(errors="replace")[-chars:]


@pytest.fixture(scope="module")
def platform() -> Iterator[Platform]:
    """One migrated database on a private cluster for the module (migrating takes most of the time),
    a learner and an LRS client in it."""
    require(unavailable_reason() is None, unavailable_reason() or "")
    folder = Path(tempfile.mkdtemp(prefix="fault-pg-restart-"))
    (folder / "fault_settings.py").write_text(SETTINGS)
    try:
        with PrivatePostgres() as pg:
            pg.create_database("gangguan")
            # Production's defaults for the connections (CONN_MAX_AGE, no CONN_HEALTH_CHECKS) are what is tested.
            prefixes = ("DJANGO_", "DATABASE_", "CELERY_", "CONN_")
            env = {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}
            env.update(
                {
                    "DJANGO_SETTINGS_MODULE": "fault_settings",
                    "PYTHONPATH": os.pathsep.join([str(folder), str(ROOT)]),
                    "SECRET_KEY": secrets.token_urlsafe(50),
                    "DATABASE_URL": pg.url("gangguan"),
                    # Published tasks stay in the web process's memory: no worker is part of this fault.
                    "CELERY_BROKER_URL": "memory://",
                    "ALLOWED_HOSTS": "127.0.0.1,localhost",
                    "USE_HTTPS": "false",  # plain HTTP to gunicorn, as bench/lrs.py
                    "MEDIA_ROOT": str(folder / "media"),
                    "LOG_LEVEL": "INFO",
                }
            )
            platform = Platform(pg=pg, env=env, folder=folder)
            platform.manage("migrate", "--noinput", "-v0")
            platform.manage("shell", "-c", SETUP)
            yield platform
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def web(platform: Platform, request) -> Iterator[Web]:
    """gunicorn with the production configuration; ``@pytest.mark.parametrize("web", [(workers, threads)],
    indirect=True)`` sizes it. The learner is logged in (platform.cookies)."""
    workers, threads = request.param
    port = free_port()
    log = platform.folder / f"gunicorn-{port}.log"
    env = {
        **platform.env,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(workers),
        "GUNICORN_THREADS": str(threads),
    }
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "shell.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = Web(base=f"http://127.0.0.1:{port}", process=process, log=log)
    try:

        def answers() -> bool:
            try:
                return requests.get(f"{server.base}/healthz", timeout=2).status_code == 200
            except requests.RequestException:
                return process.poll() is not None  # stop waiting: it died

        assert wait_for(answers, timeout=60, interval=0.2) and process.poll() is None, server.log_tail()
        if not platform.cookies:
            platform.cookies = _log_in(server.base)
        yield server
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGQUIT)  # gunicorn's quick shutdown: nothing to finish here
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        print(server.log_tail(2000))


def _log_in(base: str) -> dict[str, str]:
    browser = requests.Session()
    browser.get(f"{base}/masuk/", timeout=CLIENT_TIMEOUT)
    response = browser.post(
        f"{base}/masuk/",
        data={"username": USERNAME, "password": PASSWORD, "csrfmiddlewaretoken": browser.cookies["csrftoken"]},
        allow_redirects=False,
        timeout=CLIENT_TIMEOUT,
    )
    assert response.status_code == 302, response.text[:2000]
    return browser.cookies.get_dict()


@dataclass
class Outcome:
    endpoint: str
    phase: str  # the phase the request started and ended in, or "a->b" across a change
    status: int | None = None
    error: str | None = None  # a dropped connection, a timeout: never acceptable
    retry_after: str | None = None
    content_type: str = ""
    body: str = ""
    seconds: float = 0.0


class Load:
    """Client threads requesting every endpoint round and round, each on its own keep-alive connection,
    recording every answer with the phase it was sent and answered in."""

    def __init__(self, web: Web, cookies: dict[str, str]) -> None:
        self.web, self.cookies = web, cookies
        self.phase = "before"
        self.outcomes: list[Outcome] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._run, args=(i,), daemon=True) for i in range(LOAD_THREADS)]

    def client(self) -> requests.Session:
        session = requests.Session()
        session.cookies.update(self.cookies)
        return session

    def fetch(self, session: requests.Session, endpoint: str) -> Outcome:
        path, headers = ENDPOINTS[endpoint]
        started, clock = self.phase, time.monotonic()
        try:
            response = session.get(self.web.base + path, headers=headers, timeout=CLIENT_TIMEOUT, allow_redirects=False)
        except requests.RequestException as error:
            outcome = Outcome(endpoint, started, error=f"{type(error).__name__}: {error}")
        else:
            outcome = Outcome(
                endpoint,
                started,
                status=response.status_code,
                retry_after=response.headers.get("Retry-After"),
                content_type=response.headers.get("Content-Type", ""),
                body=response.text[:500],
            )
        outcome.seconds = time.monotonic() - clock
        if self.phase != started:
            outcome.phase = f"{started}->{self.phase}"
        with self._lock:
            self.outcomes.append(outcome)
        return outcome

    def _run(self, index: int) -> None:
        session = self.client()
        names = list(ENDPOINTS)
        turn = index
        while not self._stop.is_set():
            self.fetch(session, names[turn % len(names)])
            turn += 1

    def __enter__(self) -> Load:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=CLIENT_TIMEOUT * 2)
        assert not any(thread.is_alive() for thread in self._threads), "a client thread hung"

    def in_phase(self, phase: str) -> list[Outcome]:
        return [o for o in self.outcomes if o.phase == phase]


def _post_statement(web: Web) -> str:
    statement_id = str(uuid.uuid4())
    body = statement(id=statement_id, actor={"objectType": "Agent", "mbox": "mailto:sebelum@example.org"})
    response = requests.post(
        f"{web.base}/xapi/statements", json=body, headers=LRS_HEADERS, timeout=CLIENT_TIMEOUT, allow_redirects=False
    )
    assert response.status_code == 200, response.text
    assert response.json() == [statement_id]
    return statement_id


def _assert_clean_failure(outcome: Outcome) -> None:
    """What a client may see while the database is away: the page, or the outage answer."""
    assert outcome.error is None, outcome
    assert outcome.status in (200, 503), outcome
    if outcome.status == 503 and outcome.endpoint in DB_PAGES:
        assert outcome.retry_after == "5", outcome
        if outcome.endpoint == "home":
            assert outcome.content_type.startswith("text/html"), outcome
            assert "Coba lagi dalam beberapa detik" in outcome.body, outcome
        else:
            assert outcome.content_type == "application/json", outcome
    if outcome.endpoint == "healthz":
        assert outcome.status == 200, outcome  # the process is up: no orchestrator should restart it


def _summary(load: Load) -> str:
    counts = Counter((o.phase, o.endpoint, o.status or o.error) for o in load.outcomes)
    return "\n".join(
        f"{phase:>22} {endpoint:>8} {status}: {n}" for (phase, endpoint, status), n in sorted(counts.items(), key=str)
    )


def _measured(load: Load, *, stop_began: float, started: float, recovered_at: float) -> str:
    outage = [o for o in load.outcomes if o.phase != "before" and o.phase != "back"]
    statuses = Counter(o.status or "error" for o in outage)
    slowest = max(load.outcomes, key=lambda o: o.seconds)
    return (
        f"{len(outage)} requests while the database was stopping, down or starting ({dict(statuses)}); every"
        f" endpoint answered 200 again {recovered_at - started:.2f} s after it accepted connections"
        f" ({recovered_at - stop_began:.2f} s after the stop began); slowest request {slowest.seconds:.2f} s"
        f" ({slowest.phase} {slowest.endpoint} {slowest.status})"
    )


@pytest.mark.parametrize("web", [(2, 4)], indirect=True)
def test_postgres_restarted_under_load_fails_cleanly_and_recovers_by_itself(platform: Platform, web: Web):
    statement_id = _post_statement(web)
    with Load(web, platform.cookies) as load:
        assert wait_for(lambda: len(load.outcomes) >= 100, timeout=60), _summary(load)

        load.phase = "stopping"
        stop_began = time.monotonic()
        platform.pg.stop(mode="fast")  # the connections of every worker thread are cut
        load.phase = "down"
        probe = load.client()
        for endpoint in ENDPOINTS:  # at least one answer of each while it is certainly down
            load.fetch(probe, endpoint)
        assert wait_for(lambda: len(load.in_phase("down")) >= 100, timeout=60), _summary(load)

        load.phase = "starting"
        platform.pg.start()
        load.phase = "back"
        started = time.monotonic()

        def every_endpoint_answers() -> bool:
            return all(load.fetch(probe, endpoint).status == 200 for endpoint in ENDPOINTS)

        recovered = wait_for(every_endpoint_answers, timeout=30, interval=0.2)
        recovered_at = time.monotonic()
    summary = _summary(load)
    print(f"{summary}\n{_measured(load, stop_began=stop_began, started=started, recovered_at=recovered_at)}")
    assert recovered, summary + web.log_tail()

    before = load.in_phase("before")
    assert before and all(o.status == 200 for o in before), summary
    for outcome in load.outcomes:  # every phase: never a 500, a dropped connection or a hang
        _assert_clean_failure(outcome)
    down = load.in_phase("down")
    for endpoint in ENDPOINTS:
        answers = {o.status for o in down if o.endpoint == endpoint}
        assert answers == ({200} if endpoint == "healthz" else {503}), (endpoint, summary)

    # Every connection of every worker thread works again: many answers at once, all of them pages.
    after = Load(web, platform.cookies)
    after.phase = "after"
    sessions = [after.client() for _ in range(8)]

    def burst(index: int) -> None:
        for turn in range(index, AFTER_REQUESTS * len(ENDPOINTS), len(sessions)):
            after.fetch(sessions[index], list(ENDPOINTS)[turn % len(ENDPOINTS)])

    threads = [threading.Thread(target=burst, args=(i,)) for i in range(len(sessions))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a request hung"
    assert Counter(o.endpoint for o in after.outcomes) == dict.fromkeys(ENDPOINTS, AFTER_REQUESTS)
    assert all(o.status == 200 for o in after.outcomes), _summary(after)

    # What was written before the restart is there; the learner is still logged in; nothing restarted.
    response = requests.get(
        f"{web.base}/xapi/statements", params={"statementId": statement_id}, headers=LRS_HEADERS, timeout=CLIENT_TIMEOUT
    )
    assert response.status_code == 200 and response.json()["id"] == statement_id, response.text
    assert web.process.poll() is None
    log = web.log.read_text(errors="replace")
    assert log.count("Booting worker") == 2, log[-4000:]  # the two workers of the start, none since
    assert "WORKER TIMEOUT" not in log


@pytest.mark.parametrize("web", [(1, 1)], indirect=True)
def test_the_request_that_finds_a_connection_cut_by_a_restart_is_a_503_and_the_next_is_served(
    platform: Platform, web: Web
):
    """One worker thread, so one persistent connection: after a restart its next request finds it
    cut (production checks no connection before use), gets the outage answer, and the connection is
    replaced for the request after."""
    load = Load(web, platform.cookies)
    client = load.client()
    for endpoint in DB_PAGES:
        load.phase = f"{endpoint}-warm"
        assert load.fetch(client, endpoint).status == 200
        platform.pg.restart(mode="fast")
        load.phase = f"{endpoint}-cut"
        cut = load.fetch(client, endpoint)
        load.phase = f"{endpoint}-next"
        following = load.fetch(client, endpoint)
        assert (cut.status, following.status) == (503, 200), (cut, following, web.log_tail())
        _assert_clean_failure(cut)
