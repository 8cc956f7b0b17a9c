"""Prometheus-style metrics of the API (text exposition format at /metrics): request latency from a
middleware, and counts read from the database at scrape time (so every API process reports the same)."""

import bisect
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable

from fastapi import Request, Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Handoff, WhatsAppMessage
from app.models.enums import HandoffStatus, MessageStatus

BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
# Route templates, not paths: no ids or numbers become label values.
_latency: dict[str, list[int]] = defaultdict(lambda: [0] * (len(BUCKETS) + 1))
_sums: dict[str, float] = defaultdict(float)


async def timing(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    start = time.perf_counter()
    response = await call_next(request)
    route = request.scope.get("route")
    name = getattr(route, "path", "unmatched")
    elapsed = time.perf_counter() - start
    _latency[name][bisect.bisect_left(BUCKETS, elapsed)] += 1
    _sums[name] += elapsed
    return response


def render(session: Session) -> str:
    lines = ["# HELP whatsapp_messages_total WhatsApp messages in the log, by direction and status.",
             "# TYPE whatsapp_messages_total counter"]
    for direction, status, count in session.execute(
            select(WhatsAppMessage.direction, WhatsAppMessage.status, func.count())
            .group_by(WhatsAppMessage.direction, WhatsAppMessage.status)):
        lines.append(f'whatsapp_messages_total{{direction="{direction.value}",status="{status.value}"}} {count}')
    failures = session.scalar(select(func.count()).select_from(WhatsAppMessage).where(
        WhatsAppMessage.status.in_((MessageStatus.failed, MessageStatus.undelivered)))) or 0
    open_count = session.scalar(select(func.count()).select_from(Handoff).where(
        Handoff.status.in_((HandoffStatus.open, HandoffStatus.claimed)))) or 0
    lines += ["# HELP whatsapp_send_failures_total Messages that could not be delivered.",
              "# TYPE whatsapp_send_failures_total counter", f"whatsapp_send_failures_total {failures}",
              "# HELP handoffs_open Hand-offs waiting for or with a person.", "# TYPE handoffs_open gauge",
              f"handoffs_open {open_count}",
              "# HELP http_request_duration_seconds API request latency by route (this process).",
              "# TYPE http_request_duration_seconds histogram"]
    for route, counts in sorted(_latency.items()):
        running = 0
        for bound, count in zip((*BUCKETS, float("inf")), counts, strict=True):
            running += count
            le = "+Inf" if bound == float("inf") else str(bound)
            lines.append(f'http_request_duration_seconds_bucket{{route="{route}",le="{le}"}} {running}')
        lines += [f'http_request_duration_seconds_sum{{route="{route}"}} {_sums[route]:.6f}',
                  f'http_request_duration_seconds_count{{route="{route}"}} {running}']
    return "\n".join(lines) + "\n"
