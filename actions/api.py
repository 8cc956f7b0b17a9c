"""The action server's only I/O: the case-data API over HTTP, as the verified phone."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import aiohttp

from actions.config import get_settings

log = logging.getLogger(__name__)
_session: aiohttp.ClientSession | None = None


class ApiUnavailable(Exception):
    """The API did not answer; the person gets a 'try again later', nothing is lost."""


async def _http() -> aiohttp.ClientSession:
    global _session
    if _session is None or _session.closed:
        settings = get_settings()
        _session = aiohttp.ClientSession(
            headers={"Authorization": f"Bearer {settings.service_token}"},
            timeout=aiohttp.ClientTimeout(total=settings.timeout_seconds),
        )
    return _session


async def call(method: str, path: str, *, phone: str | None = None, json: Any = None,
               params: dict[str, str] | None = None) -> tuple[int, Any]:
    """(status, body) of an API call; raises ApiUnavailable on network errors and 5xx."""
    headers = {"X-Client-Phone": phone} if phone else {}
    url = f"{get_settings().api_url}/api/v1/assistant{path}"
    try:
        session = await _http()
        async with session.request(method, url, json=json, params=params, headers=headers) as res:
            body = await res.json(content_type=None)
            if res.status >= 500:
                raise ApiUnavailable(f"{method} {path}: {res.status}")
            return res.status, body
    except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
        log.warning("API call failed: %s %s (%s)", method, path, type(exc).__name__)
        raise ApiUnavailable(str(exc)) from exc
