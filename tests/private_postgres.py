"""A PostgreSQL cluster of the test's own, in a temporary folder on a free port, to stop, start and
restart without touching the machine's server that the suite and other tests use.

initdb and pg_ctl refuse to run as root, so as root they run as the ``postgres`` OS user (runuser).
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.workers import free_port

OS_USER = "postgres"


def bin_dir() -> Path | None:
    """The newest installed server's binaries (Debian's /usr/lib/postgresql/<version>/bin)."""
    root = Path("/usr/lib/postgresql")
    versions = sorted(
        (p for p in root.glob("*/bin") if (p / "pg_ctl").exists() and p.parent.name.isdigit()),
        key=lambda p: int(p.parent.name),
    )
    return versions[-1] if versions else None


def _is_os_user() -> bool:
    try:
        return pwd.getpwuid(os.geteuid()).pw_name == OS_USER
    except KeyError:
        return False


def unavailable_reason() -> str | None:
    """Why a private cluster cannot be run here, or None when it can."""
    if bin_dir() is None:
        return "the PostgreSQL server binaries are missing (/usr/lib/postgresql/<version>/bin)"
    if _is_os_user():
        return None
    if os.geteuid() != 0:
        return f"a private PostgreSQL cluster needs root (to run it as {OS_USER!r}) or the {OS_USER!r} user"
    if shutil.which("runuser") is None:
        return "runuser is missing (util-linux)"
    try:
        pwd.getpwnam(OS_USER)
    except KeyError:
        return f"there is no {OS_USER!r} OS user"
    return None


class PrivatePostgres:
    """``with PrivatePostgres() as pg:`` a running cluster (trust authentication, user postgres) at
    ``pg.url(name)``; afterwards it is stopped and its folder removed, whatever happened inside."""

    def __init__(self) -> None:
        self.bin = bin_dir()
        self.port = free_port()
        self.root: Path | None = None

    @property
    def data(self) -> Path:
        assert self.root is not None
        return self.root / "data"

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str, timeout: float = 60) -> str:
        command = [str(self.bin / args[0]), *args[1:]]
        if not _is_os_user():
            command = ["runuser", "-u", OS_USER, "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} failed:\n{result.stdout}{result.stderr}{self.log_tail()}")
        return result.stdout

    def log_tail(self, chars: int = 3000) -> str:
        log = self.root / "server.log" if self.root else None
        return log.read_text(errors="replace")[-chars:] if log and log.exists() else ""

    def init(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="private-pg-"))
        if not _is_os_user():
            account = pwd.getpwnam(OS_USER)
            os.chown(self.root, account.pw_uid, account.pw_gid)
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync")

    def start(self) -> None:
        # Its own socket folder and TCP on 127.0.0.1 only. fsync off: a test cluster (migrations run
        # faster); a clean stop, which is what the tests do, still writes everything out.
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.root} -c fsync=off"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "server.log"), "-o", options, "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def restart(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "server.log"), "-m", mode, "-w", "restart")

    def is_running(self) -> bool:
        return self.root is not None and (self.data / "postmaster.pid").exists()

    def create_database(self, name: str) -> None:
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')

    def cleanup(self) -> None:
        try:
            if self.is_running():
                self.stop(mode="immediate")
        finally:
            if self.root is not None:
                shutil.rmtree(self.root, ignore_errors=True)
                self.root = None

    def __enter__(self) -> PrivatePostgres:
        try:
            self.init()
            self.start()
        except BaseException:
            self.cleanup()
            raise
        return self

    def __exit__(self, *exc_info) -> None:
        self.cleanup()
