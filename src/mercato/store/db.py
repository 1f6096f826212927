"""Database URLs, engines and migrations.

SQLite is the default (one file in the user's data directory); a ``postgresql://`` URL uses
psycopg 3. Every open applies pending Alembic migrations, so a new mercato never meets an old
schema. Errors a user can cause (locked file, unreachable server) become ``StoreError`` with one
clear line.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import sqlalchemy.exc as sa_exc
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import QueuePool

ENV_VAR = "MERCATO_DB"
TIMEOUT_ENV_VAR = "MERCATO_DB_TIMEOUT"  # seconds to wait for a locked SQLite file
DEFAULT_TIMEOUT = 10.0
MIGRATIONS_DIR = Path(__file__).parent / "migrations"


class StoreError(Exception):
    """A database problem the user can act on; the message is one line, without a traceback."""


def default_db_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("mercato", appauthor=False)) / "mercato.sqlite"


def resolve_url(url: str | os.PathLike[str] | None = None) -> str:
    """The SQLAlchemy URL for a ``--db`` value, ``$MERCATO_DB`` or the default SQLite file.

    A plain path means a SQLite file; ``postgresql://`` / ``postgres://`` select psycopg 3.
    """
    raw = str(url) if url is not None else os.environ.get(ENV_VAR) or ""
    if not raw:
        path = default_db_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{path}"
    if raw.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + raw.split("://", 1)[1]
    if re.match(r"^[a-z][a-z0-9+]*://", raw):
        return raw
    path = Path(raw).expanduser()
    return f"sqlite:///{path.resolve()}"


def display_url(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except sa_exc.ArgumentError:
        return url


def sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def make_engine(url: str, timeout: float | None = None) -> Engine:
    if timeout is None:
        timeout = float(os.environ.get(TIMEOUT_ENV_VAR, DEFAULT_TIMEOUT))
    backend = make_url(url).get_backend_name()
    if backend == "sqlite":
        path = sqlite_path(url)
        if path is not None and path.parent and not path.parent.exists():
            raise StoreError(f"cannot open database {path}: folder {path.parent} does not exist")
        # Connections are kept and reused: opening one costs ~0.5 ms (more than storing an article's
        # rows), and the entity cache lives with its connection (mercato.store.resolver). No upper
        # bound (max_overflow=-1), like the unpooled engine before: concurrent readers never wait.
        engine = create_engine(
            url, connect_args={"timeout": timeout}, poolclass=QueuePool, pool_size=5, max_overflow=-1
        )
        _sqlite_transactions(engine)
        return engine
    if backend == "postgresql":
        connect_args: dict[str, Any] = {"connect_timeout": max(1, int(timeout))}
        return create_engine(url, connect_args=connect_args, pool_pre_ping=True)
    raise StoreError(f"unsupported database {display_url(url)}: use a SQLite path or a postgresql:// URL")


def _sqlite_transactions(engine: Engine) -> None:
    """Let SQLAlchemy, not pysqlite, decide when transactions begin, so that a write transaction
    takes the write lock at BEGIN (BEGIN IMMEDIATE): two writers then queue on the busy timeout
    instead of one failing on a lock upgrade half-way through an article."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        # Checkpoint the WAL every ~40 MB instead of ~4 MB: an article dirties 50-80 pages (its
        # rows and ~15 indexes), so the default checkpointed every ~15 articles, rewriting the same
        # hot index pages each time; ~0.2-0.9 ms an article on long ingests (bench_ingest).
        cur.execute("PRAGMA wal_autocheckpoint=10000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql(conn.get_execution_options().get("sqlite_begin", "BEGIN"))


def enable_wal(engine: Engine) -> None:
    """WAL lets readers (web UI, dossiers) run while an ingest writes. Switching needs a moment
    without other connections; if the file is busy it stays in its current mode.

    The pragma goes to the DBAPI connection itself: SQLite ignores it inside a transaction, and
    executing through SQLAlchemy would have begun one (so files used to stay in rollback-journal
    mode, which also costs an fsync of the journal on every commit)."""
    # Busy (locked by another process): the file stays in its current mode.
    busy = (sa_exc.OperationalError, sqlite3.OperationalError)
    with contextlib.suppress(*busy), engine.connect() as conn:
        conn.connection.dbapi_connection.execute("PRAGMA journal_mode=WAL")  # type: ignore[union-attr]


def translate_error(exc: BaseException, url: str) -> StoreError:
    """One clear line for the database errors a user meets."""
    where = display_url(url)
    path = sqlite_path(url) if url.startswith("sqlite") else None
    orig = getattr(exc, "orig", None) or exc
    message = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
    lowered = message.lower()
    if "locked" in lowered or "busy" in lowered:
        return StoreError(
            f"the database {path or where} is locked by another process (another mercato ingest?); "
            f"try again when it has finished, or raise {TIMEOUT_ENV_VAR} (seconds to wait)"
        )
    if "unable to open database" in lowered or "readonly" in lowered or "read-only" in lowered:
        return StoreError(f"cannot open database {path or where}: {message}")
    if "not a database" in lowered or "malformed" in lowered:
        return StoreError(f"{path or where} is not a mercato database (not SQLite, or damaged)")
    if isinstance(exc, sa_exc.OperationalError | sa_exc.InterfaceError) and not path:
        return StoreError(f"cannot reach database {where}: {message}")
    return StoreError(f"database error on {path or where}: {message}")


def migrate(engine: Engine, url: str) -> bool:
    """Apply pending migrations. Returns True when something was applied."""
    from alembic import command
    from alembic.config import Config
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    head = ScriptDirectory.from_config(cfg).get_current_head()
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    if current == head:
        return False
    with engine.connect().execution_options(sqlite_begin="BEGIN IMMEDIATE") as conn, conn.begin():
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    return True


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def insert_plain(conn: Connection, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Insert rows of plain values (str, int, float, None) with one driver-level executemany.

    For the many-row inserts of an article (mentions, surname keys): SQLAlchemy's per-row
    parameter processing costs more than the insert itself. Columns needing a type conversion
    (JSON, datetimes) must go through SQLAlchemy instead."""
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join([mark] * len(columns))
    conn.exec_driver_sql(f"INSERT INTO {table} ({names}) VALUES ({marks})", list(map(tuple, rows)))
