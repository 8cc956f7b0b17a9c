"""Rasa's stores for several replicas (and, on SQLite, for the embedded default), with three fixes.

- SQL tracker store and SQL event broker check pooled connections before use: Rasa 3.6 creates their
  engines without `pool_pre_ping`, so after a PostgreSQL restart every pooled connection fails once (a
  turn's replies go out but its tracker is not saved). With the check a restart costs nothing.
- The SQL event broker survives replicas that start together and race to create its table.
- The Redis lock store looks for a released lock every 50 ms instead of every second: with the default,
  a person's second message that lands while the first is handled waits a whole second (bench/load.py).
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager
from typing import Any

from rasa.core.brokers.sql import SQLEventBroker
from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, RedisLockStore
from rasa.core.tracker_store import SQLTrackerStore
from rasa.utils.endpoints import EndpointConfig
from sqlalchemy import create_engine, event
from sqlalchemy.exc import IntegrityError, ProgrammingError
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import StaticPool

LOCK_POLL_SECONDS = 0.05


class ResilientSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.engine.pool._pre_ping = True  # what create_engine(pool_pre_ping=True) sets
        if self.engine.dialect.name == "sqlite":  # the embedded default: conversations survive a restart
            self.engine, self.sessionmaker = _quick_sqlite(self.engine)


class ResilientSQLEventBroker(SQLEventBroker):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        try:
            super().__init__(*args, **kwargs)
        except (IntegrityError, ProgrammingError):
            # Replicas starting together race to create the events table; PostgreSQL lets one win and
            # fails the other on its type name. Rasa's tracker store retries this, its broker does not.
            # The winner has committed by the time the loser hears of it, so a second look finds it.
            self.Base.metadata.create_all(self.engine)
            self.sessionmaker = sessionmaker(bind=self.engine)
        self.engine.pool._pre_ping = True
        if self.engine.dialect.name == "sqlite":  # the embedded default (make run)
            self.engine, self.sessionmaker = _quick_sqlite(self.engine)


def _quick_sqlite(engine: Any) -> tuple[Any, Any]:
    """A turn publishes about ten events, each its own commit, and saves its tracker, on Rasa's event loop.
    Rasa's engine opens and closes a SQLite connection for each (3.3 ms an event here, mostly the flushes).
    One kept connection, a write-ahead log and NORMAL sync (flushes at checkpoints; a crash of the process
    loses nothing) make it a small fraction of that."""
    engine.dispose()
    quick = create_engine(engine.url, poolclass=StaticPool, connect_args={"check_same_thread": False})
    event.listen(quick, "connect", _sqlite_pragmas)
    return quick, sessionmaker(bind=quick)


def _sqlite_pragmas(dbapi_connection: Any, _: Any) -> None:
    dbapi_connection.execute("PRAGMA journal_mode=WAL")
    dbapi_connection.execute("PRAGMA synchronous=NORMAL")


class PromptRedisLockStore(RedisLockStore):
    def __init__(self, endpoint_config: EndpointConfig) -> None:
        options = dict(endpoint_config.kwargs)
        super().__init__(host=endpoint_config.url or "localhost", port=int(options.get("port") or 6379),
                         db=int(options.get("db") or 1), password=options.get("password"),
                         key_prefix=options.get("key_prefix"))

    @asynccontextmanager
    async def lock(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME,
                   wait_time_in_seconds: float = LOCK_POLL_SECONDS) -> AsyncGenerator[TicketLock, None]:
        async with super().lock(conversation_id, lock_lifetime, min(wait_time_in_seconds, LOCK_POLL_SECONDS)) as lock:
            yield lock
