"""The consultant inbox: open hand-offs, one hand-off with its live thread, and the actions on it."""

import secrets
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from app.deps import SessionDep
from app.errors import DomainError
from app.models import WhatsAppMessage
from app.models.enums import Channel, Direction, HandoffOutcome, MessageStatus
from app.models.types import utcnow
from app.pages import PageActor, check_csrf, render
from app.schemas.common import DbId
from app.schemas.handoff import SafetyVerdict
from app.services import handoffs, inbox, pairing, whatsapp
from app.services.handoffs import unread
from app.services.whatsapp_sender import nudge

router = APIRouter(prefix="/inbox", include_in_schema=False)
Text = Annotated[str, Form(max_length=4000)]
TABS = ("mine", "unassigned", "all")


def _back(handoff_id: int, flash: str) -> Response:
    """Back to the hand-off with a notice: `flash` is a code of app.pages.FLASH, never free text."""
    return RedirectResponse(f"/inbox/{handoff_id}?{urlencode({'flash': flash})}", status_code=303)


@router.get("", response_class=HTMLResponse)
def queue(request: Request, session: SessionDep, actor: PageActor, tab: str = "all") -> Response:
    tab = tab if tab in TABS else "all"
    rows = handoffs.queue(session=session, actor=actor, tab=tab)
    gemeente_id = actor.user.gemeente_id if actor.user else None
    colleagues = [c for c in handoffs.consultants(session, gemeente_id) if actor.user and c.id != actor.user.id]
    return render(request, "inbox/queue.html", actor, rows=rows, tab=tab, tabs=TABS, now=utcnow(), unread=unread,
                  language_name=inbox.language_name, colleagues=colleagues, safety_label=handoffs.safety_label)


@router.get("/undelivered", response_class=HTMLResponse)
def undelivered(request: Request, session: SessionDep, actor: PageActor) -> Response:
    """Replies that did not reach the person (the assistant's and staff's), with the reason and "send again"."""
    rows = whatsapp.undelivered(session=session, actor=actor)
    return render(request, "inbox/undelivered.html", actor, rows=rows)


@router.post("/undelivered/{message_id}/resend", dependencies=[Depends(check_csrf)])
def resend(request: Request, session: SessionDep, actor: PageActor, message_id: DbId) -> Response:
    whatsapp.resend(session=session, actor=actor, message_id=message_id)
    nudge(request.app.state)
    return RedirectResponse("/inbox/undelivered?flash=sending-again", status_code=303)


@router.get("/badge")
def badge(session: SessionDep, actor: PageActor) -> JSONResponse:
    return JSONResponse({"unread": handoffs.unread_count(session=session, actor=actor)})


@router.post("/away", dependencies=[Depends(check_csrf)])
def away(session: SessionDep, actor: PageActor, away: Annotated[str, Form(max_length=5)] = "",
         cover_id: Annotated[DbId | None, Form()] = None) -> Response:
    handoffs.set_away(session=session, actor=actor, away=away == "on", cover_id=cover_id)
    return RedirectResponse(f"/inbox?flash={'away' if away == 'on' else 'back'}", status_code=303)


def _detail(request: Request, session: SessionDep, actor: PageActor, handoff_id: int, translate: bool,
            template: str, poll: bool = False, **extra: Any) -> Response:
    handoff = handoffs.get(session=session, actor=actor, handoff_id=handoff_id, poll=poll)
    seen = inbox.view(session, actor, handoff, translate=translate, summary_too=not poll)
    return render(request, template, actor, v=seen, h=handoff, events=handoffs.events(session, handoff),
                  colleagues=handoffs.consultants(session, handoff.gemeente_id), outcomes=list(HandoffOutcome),
                  now=utcnow(),
                  templates=handoffs.templates(session, handoff),
                  language_name=inbox.language_name, reply_key=secrets.token_hex(8), Direction=Direction,
                  Channel=Channel, failed={MessageStatus.failed, MessageStatus.undelivered},
                  pairing_for=None if poll else pairing.client_to_pair(session, actor, handoff),
                  safety_label=handoffs.safety_label, safety_labels=handoffs.SAFETY_LABELS, **extra)


@router.get("/{handoff_id}", response_class=HTMLResponse)
def detail(request: Request, session: SessionDep, actor: PageActor, handoff_id: DbId) -> Response:
    return _detail(request, session, actor, handoff_id, False, "inbox/handoff.html")


@router.get("/{handoff_id}/thread", response_class=HTMLResponse)
def thread(request: Request, session: SessionDep, actor: PageActor, handoff_id: DbId) -> Response:
    """The live thread (the page polls it, so new messages appear without reloading)."""
    return _detail(request, session, actor, handoff_id, False, "inbox/thread.html", poll=True)


@router.post("/{handoff_id}/translate", response_class=HTMLResponse, dependencies=[Depends(check_csrf)])
def translate(request: Request, session: SessionDep, actor: PageActor, handoff_id: DbId) -> Response:
    return _detail(request, session, actor, handoff_id, True, "inbox/handoff.html")


@router.post("/{handoff_id}/claim", dependencies=[Depends(check_csrf)])
def claim(session: SessionDep, actor: PageActor, handoff_id: DbId) -> Response:
    handoffs.claim(session=session, actor=actor, handoff_id=handoff_id)
    return _back(handoff_id, "claimed")


@router.post("/{handoff_id}/assign", dependencies=[Depends(check_csrf)])
def assign(session: SessionDep, actor: PageActor, handoff_id: DbId, to_id: Annotated[DbId, Form()]) -> Response:
    handoffs.assign(session=session, actor=actor, handoff_id=handoff_id, to_id=to_id)
    return _back(handoff_id, "transferred")


@router.post("/{handoff_id}/note", dependencies=[Depends(check_csrf)])
def note(session: SessionDep, actor: PageActor, handoff_id: DbId, text: Text = "") -> Response:
    handoffs.note(session=session, actor=actor, handoff_id=handoff_id, text=text)
    return _back(handoff_id, "note-added")


@router.post("/{handoff_id}/reply", dependencies=[Depends(check_csrf)])
def reply(request: Request, session: SessionDep, actor: PageActor, handoff_id: DbId, text: Text = "",
          key: Annotated[str, Form(max_length=40)] = "",
          template: Annotated[str, Form(max_length=100)] = "") -> Response:
    handoffs.reply(session=session, actor=actor, handoff_id=handoff_id, text=text, key=key or secrets.token_hex(8),
                   template=template or None)
    nudge(request.app.state)
    return _back(handoff_id, "reply-queued")


@router.post("/{handoff_id}/retry/{message_id}", dependencies=[Depends(check_csrf)])
def retry(request: Request, session: SessionDep, actor: PageActor, handoff_id: DbId, message_id: DbId) -> Response:
    handoff = handoffs.get(session=session, actor=actor, handoff_id=handoff_id, view=False)
    message = session.get(WhatsAppMessage, message_id)
    if message is None or message.handoff_id != handoff.id or message.origin != Channel.staff:
        raise DomainError("no such reply in this hand-off")
    handoffs.retry_reply(session=session, actor=actor, message=message)
    nudge(request.app.state)
    return _back(handoff_id, "sending-again")


@router.post("/{handoff_id}/close", dependencies=[Depends(check_csrf)])
def close(request: Request, session: SessionDep, actor: PageActor, handoff_id: DbId,
          outcome: Annotated[HandoffOutcome, Form()], text: Text = "") -> Response:
    try:
        handoffs.close(session=session, actor=actor, handoff_id=handoff_id, outcome=outcome, text=text)
    except DomainError as exc:
        if exc.status_code != 503:
            raise
        return _back(handoff_id, "close-failed")  # the assistant is away: the hand-off stays open
    nudge(request.app.state)
    return _back(handoff_id, "closed")


@router.post("/{handoff_id}/safety-feedback", dependencies=[Depends(check_csrf)])
def safety_feedback(session: SessionDep, actor: PageActor, handoff_id: DbId,
                    verdict: Annotated[SafetyVerdict, Form()]) -> Response:
    """Was this a safety case? "not_safety", or the class it was: kept for people to review, never learned from."""
    handoffs.safety_feedback(session=session, actor=actor, handoff_id=handoff_id, verdict=verdict)
    return _back(handoff_id, "safety-feedback")


@router.post("/{handoff_id}/pairing-code", response_class=HTMLResponse, dependencies=[Depends(check_csrf)])
def pairing_code(request: Request, session: SessionDep, actor: PageActor, handoff_id: DbId) -> Response:
    """A new pairing code for the client on this number, shown once on the page itself: never in a URL
    (no redirect with it), so it is in no log, history or Referer."""
    client, code, row = handoffs.new_pairing_code(session=session, actor=actor, handoff_id=handoff_id)
    issued = {"code": code, "expires_at": row.expires_at, "name": f"{client.first_name} {client.last_name}"}
    page = _detail(request, session, actor, handoff_id, False, "inbox/handoff.html", issued=issued)
    page.headers["Cache-Control"] = "no-store"  # nor in the browser's cache
    return page
