"""Store tests run twice: on SQLite and on a real PostgreSQL server the suite starts itself.

The server comes from local binaries (``initdb``/``pg_ctl`` on PATH or /usr/lib/postgresql/*/bin),
is initialised in a temporary folder, listens on a free loopback port and is stopped at the end.
PostgreSQL refuses to run as root, so under root the server runs as ``nobody`` in a folder it owns.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from mercato.store import Store


def _pg_bindir() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        real = Path(os.path.realpath(found)).parent
        if (real / "initdb").exists() and (real / "postgres").exists():
            return real
    for cand in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if (Path(cand) / "initdb").exists():
            return Path(cand)
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PgServer:
    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="mercato-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.prefix: list[str] = []
        if os.geteuid() == 0:
            # initdb and postgres refuse root: run them as nobody in a folder nobody owns.
            import pwd

            user = pwd.getpwnam("nobody")
            os.chown(self.root, user.pw_uid, user.pw_gid)
            os.chmod(self.root, 0o700)
            runner = shutil.which("runuser")
            self.prefix = (
                [runner, "-u", "nobody", "--"]
                if runner
                else ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"]
            )

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*self.prefix, *args], capture_output=True, text=True, timeout=120, cwd=self.root, check=False
        )

    def start(self) -> None:
        res = self._run(str(self.bindir / "initdb"), "-D", str(self.data), "-U", "mercato", "-A", "trust",
                        "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")  # fmt: skip
        if res.returncode != 0:
            res = self._run(str(self.bindir / "initdb"), "-D", str(self.data), "-U", "mercato", "-A", "trust",
                            "-E", "UTF8", "--no-sync")  # fmt: skip
        if res.returncode != 0:
            raise RuntimeError(f"initdb failed: {res.stderr or res.stdout}")
        sockets = f"-c unix_socket_directories='{self.root}'"
        opts = f"-p {self.port} -c listen_addresses=127.0.0.1 {sockets} -c fsync=off"
        res = self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-o", opts, "-l",
                        str(self.root / "log"), "-w", "-t", "60", "start")  # fmt: skip
        if res.returncode != 0:
            log = (self.root / "log").read_text() if (self.root / "log").exists() else ""
            raise RuntimeError(f"pg_ctl start failed: {res.stderr or res.stdout} {log[-500:]}")

    def stop(self) -> None:
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://mercato@127.0.0.1:{self.port}/{database}"

    def create_database(self) -> str:
        import psycopg

        name = "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    bindir = _pg_bindir()
    if bindir is None:
        pytest.skip("no PostgreSQL binaries (initdb/pg_ctl) on PATH or in /usr/lib/postgresql/*/bin")
    server = PgServer(bindir)
    try:
        server.start()
    except Exception:
        server.stop()
        raise
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database URL of each backend."""
    if request.param == "sqlite":
        return str(tmp_path / "mercato.sqlite")
    server: PgServer = request.getfixturevalue("pg_server")
    return server.create_database()


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    st = Store.open(db_url)
    yield st
    st.close()


@pytest.fixture
def reopen(db_url: str) -> Callable[[], Store]:
    return lambda: Store.open(db_url)


def wait_for(predicate: Callable[[], bool], timeout: float = 5.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()
