"""Real Celery workers and a private Redis for integration and fault tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER'] or 'postgres'}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def start_worker(*, queue: str, broker_url: str | None = None) -> subprocess.Popen:
    """A worker process (solo pool: the task runs in the process a SIGKILL hits) on ``queue``."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "shell.settings.test",
        "DATABASE_URL": database_url(),
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "CELERY_TASK_DEFAULT_QUEUE": queue,
    }
    if broker_url:
        env["CELERY_BROKER_URL"] = broker_url
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "shell",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-Q",
            queue,
            "--loglevel=INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def stop_worker(worker: subprocess.Popen) -> str:
    """Stop the worker (if still running) and return the end of its output, for the test log."""
    if worker.poll() is None:
        worker.terminate()
    try:
        output, _ = worker.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        worker.kill()
        output, _ = worker.communicate()
    return (output or "")[-4000:]


def wait_for(predicate, timeout: float = 60.0, interval: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PrivateRedis:
    """A redis-server of the test's own (nothing on disk), to stop and start without touching the
    machine's Redis that other tests and services use."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

        def answers() -> bool:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return True
            except OSError:
                return False

        assert wait_for(answers, timeout=10), "redis-server did not start"

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


def _drop_connections(app) -> None:
    """Publish through new connections (to a changed broker URL) from now on: both pools are dropped by
    hand. (Not app.close(): it also deregisters the app, and a task module imported afterwards would then
    register its tasks with no app at all.)

    The app's pools live in kombu's process-wide registry, keyed by broker URL: closing one by hand
    left it there, closed, and the next publish to that URL (even an eager task, which borrows a
    producer for its serializer) failed with "Acquire on closed pool". ``pools.reset`` closes them and
    empties the registry, so the next publish opens fresh ones."""
    from kombu import pools

    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def publishing_to(queue: str, broker_url: str | None = None):
    """This process publishes tasks to ``queue`` (on ``broker_url``) instead of running them eagerly,
    as the web processes do in production. Celery's settings come from Django's with the CELERY_
    prefix, and the broker URL from the environment first, so those are what is changed."""
    from shell import celery_app

    conf = celery_app.conf
    old = (conf["CELERY_TASK_ALWAYS_EAGER"], conf["CELERY_TASK_DEFAULT_QUEUE"], os.environ.get("CELERY_BROKER_URL"))
    conf["CELERY_TASK_ALWAYS_EAGER"] = False
    conf["CELERY_TASK_DEFAULT_QUEUE"] = queue
    if broker_url:
        os.environ["CELERY_BROKER_URL"] = broker_url
        _drop_connections(celery_app)
    assert celery_app.conf.task_always_eager is False
    try:
        yield
    finally:
        conf["CELERY_TASK_ALWAYS_EAGER"], conf["CELERY_TASK_DEFAULT_QUEUE"] = old[0], old[1]
        if broker_url:
            if old[2] is None:
                os.environ.pop("CELERY_BROKER_URL", None)
            else:
                os.environ["CELERY_BROKER_URL"] = old[2]
            _drop_connections(celery_app)
