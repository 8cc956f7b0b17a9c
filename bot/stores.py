"""Rasa's SQL tracker store and SQL event broker, checking pooled connections before use.

Rasa 3.6 creates their engines without `pool_pre_ping`, so after a PostgreSQL restart every pooled
connection fails once: a turn's replies go out but its tracker is not saved. With the check, a restart
costs nothing (tests/topology: PostgreSQL restarted mid-conversation)."""

from __future__ import annotations

from typing import Any

from rasa.core.brokers.sql import SQLEventBroker
from rasa.core.tracker_store import SQLTrackerStore


class ResilientSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.engine.pool._pre_ping = True  # what create_engine(pool_pre_ping=True) sets


class ResilientSQLEventBroker(SQLEventBroker):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.engine.pool._pre_ping = True
