"""The store: SQLite by default, PostgreSQL by URL; one API for every adapter (docs/store.md).

from mercato.store import Store
with Store.open(None) as store:          # $MERCATO_DB or the default SQLite file
    result = store.add(article, analysis)  # AddResult(status="new" | "duplicate" | ...)
"""

from mercato.store.db import StoreError, default_db_path, resolve_url
from mercato.store.store import AddResult, EntityInfo, Fingerprint, Store, article_from_row

__all__ = [
    "AddResult",
    "EntityInfo",
    "Fingerprint",
    "Store",
    "StoreError",
    "article_from_row",
    "default_db_path",
    "resolve_url",
]
