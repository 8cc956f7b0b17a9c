"""The API's only call into Rasa: resume a paused conversation when a hand-off closes."""

import httpx

from app.config import get_settings
from app.errors import DomainError


class AssistantUnavailable(DomainError):
    status_code = 503


def resume(sender_id: str) -> None:
    """Append "resume" (the hand-off slot, and a listen) to the person's tracker through Rasa's HTTP API."""
    settings = get_settings()
    # The conversation paused right after the hand-off action, before Rasa logged "listen": without that
    # event the rules (which follow a listen) match nothing and the next message, a menu number say, fell
    # to "not understood" and opened a new hand-off.
    events = [{"event": "resume"}, {"event": "slot", "name": "handoff_open", "value": False},
              {"event": "action", "name": "action_listen"}]
    try:
        res = httpx.post(f"{settings.rasa_url}/conversations/{sender_id}/tracker/events",
                         params={"token": settings.rasa_token.get_secret_value()}, json=events, timeout=10)
    except httpx.HTTPError as exc:
        raise AssistantUnavailable("the assistant is not reachable; the hand-off stays open, try again") from exc
    if res.status_code >= 300:
        raise AssistantUnavailable(f"the assistant refused to resume ({res.status_code}); try again")
