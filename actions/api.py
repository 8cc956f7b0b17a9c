"""The action server's only I/O: the case-data API over HTTP, as the verified phone."""

from __future__ import annotations

import asyncio
import json as jsonlib
import logging
from typing import Any

import aiohttp

from actions.config import get_settings

log = logging.getLogger(__name__)
_session: aiohttp.ClientSession | None = None
# Idle connections are dropped before the API server drops them (uvicorn: after 5 s): a request sent on a
# connection the server is closing at that moment fails with "server disconnected" without being read.
KEEPALIVE_SECONDS = 2.0


class ApiUnavailable(Exception):
    """The API did not answer; the person gets a 'try again later', nothing is lost."""


async def _http() -> aiohttp.ClientSession:
    global _session
    if _session is None or _session.closed:
        settings = get_settings()
        _session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(keepalive_timeout=KEEPALIVE_SECONDS),
            headers={"Authorization": f"Bearer {settings.service_token}"},
            timeout=aiohttp.ClientTimeout(total=settings.timeout_seconds),
        )
    return _session


async def call(method: str, path: str, *, phone: str | None = None, json: Any = None,
               params: dict[str, str] | None = None) -> tuple[int, Any]:
    """(status, body) of an API call. Raises ApiUnavailable when there is no usable answer: a network error
    or time-out, a 5xx, or a body that is not JSON (an HTML 502 from nginx, a plain-text 500 of a proxy):
    our API answers everything in JSON, so anything else did not come from it."""
    headers = {"X-Client-Phone": phone} if phone else {}
    url = f"{get_settings().api_url}/api/v1/assistant{path}"
    # A read is tried once more on a lost connection (a restart of the API, a connection closed under us);
    # a write is not: it may have been done, and the person is better told "try again" than recorded twice.
    tries = 2 if method == "GET" else 1
    for attempt in range(1, tries + 1):
        try:
            session = await _http()
            async with session.request(method, url, json=json, params=params, headers=headers) as res:
                if res.status >= 500:
                    raise ApiUnavailable(f"{method} {path}: {res.status}")
                text = await res.text()
                try:
                    body = jsonlib.loads(text) if text else None
                except ValueError as exc:
                    raise ApiUnavailable(f"{method} {path}: {res.status}, not JSON") from exc
                return res.status, body
        except aiohttp.ClientConnectionError as exc:
            log.warning("API call failed: %s %s (%s, try %d of %d)", method, path, type(exc).__name__, attempt, tries)
            if attempt == tries or isinstance(exc, asyncio.TimeoutError):  # a slow API is not asked twice
                raise ApiUnavailable(str(exc)) from exc
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            log.warning("API call failed: %s %s (%s)", method, path, type(exc).__name__)
            raise ApiUnavailable(str(exc)) from exc
    raise AssertionError("unreachable")


async def fetch(path: str, *, phone: str, params: dict[str, str] | None = None) -> Any:
    """The body of a read that must succeed (the verified person's own data): any other status than 200
    is "unavailable" for the person, never a half answer built from an error body."""
    status, body = await call("GET", path, phone=phone, params=params)
    if status != 200:
        log.warning("API read failed: GET %s (%s)", path, status)
        raise ApiUnavailable(f"GET {path}: {status}")
    return body
