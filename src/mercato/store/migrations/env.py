"""Alembic environment: mercato passes an open connection in ``config.attributes["connection"]``
(see ``mercato.store.migrate``), so migrations run in the caller's transaction and engine settings."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from mercato.store.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    # Running the alembic command line by hand (developers): use sqlalchemy.url from the config.
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite://")
    with engine.connect() as conn:
        context.configure(connection=conn, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("mercato migrations run online only")
run_migrations()
