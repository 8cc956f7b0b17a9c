"""Prometheus-style counters and a latency histogram for one Rasa replica (text exposition format).

Kept in-process and tiny on purpose: each replica is scraped on its own; no phone numbers or message
text ever become label values."""

from __future__ import annotations

import bisect
from collections import Counter

BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class Histogram:
    def __init__(self, name: str, help_text: str) -> None:
        self.name, self.help = name, help_text
        self.counts = [0] * (len(BUCKETS) + 1)
        self.total = 0.0

    def observe(self, seconds: float) -> None:
        self.counts[bisect.bisect_left(BUCKETS, seconds)] += 1
        self.total += seconds

    def render(self) -> list[str]:
        lines = [f"# HELP {self.name} {self.help}", f"# TYPE {self.name} histogram"]
        running = 0
        for bound, count in zip((*BUCKETS, float("inf")), self.counts, strict=True):
            running += count
            le = "+Inf" if bound == float("inf") else f"{bound}"
            lines.append(f'{self.name}_bucket{{le="{le}"}} {running}')
        lines += [f"{self.name}_sum {self.total:.6f}", f"{self.name}_count {running}"]
        return lines


class Metrics:
    """What the WhatsApp channel of this replica has seen."""

    def __init__(self) -> None:
        self.webhooks: Counter[str] = Counter()  # by result
        self.replies = 0
        self.turns = Histogram("whatsapp_turn_seconds", "Webhook received to the turn's replies queued.")

    def render(self) -> str:
        lines = ["# HELP whatsapp_webhooks_total Webhooks by result.", "# TYPE whatsapp_webhooks_total counter"]
        for result in ("accepted", "duplicate", "bad_signature", "bad_request", "unavailable"):
            lines.append(f'whatsapp_webhooks_total{{result="{result}"}} {self.webhooks[result]}')
        lines += ["# HELP whatsapp_replies_total Replies queued for sending.", "# TYPE whatsapp_replies_total counter",
                  f"whatsapp_replies_total {self.replies}"]
        return "\n".join(lines + self.turns.render()) + "\n"
