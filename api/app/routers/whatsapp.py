"""The WhatsApp message log for the channel (service token), Twilio's status callbacks (signed),
and the failures staff must see."""

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Header, Path, Query, Request, Response
from starlette.concurrency import run_in_threadpool
from twilio.request_validator import RequestValidator

from app.deps import AssistantDep, SessionDep, SettingsDep, StaffDep
from app.errors import Forbidden
from app.schemas.common import Phone
from app.schemas.whatsapp import InboundCreate, InboundRecorded, MessageRead, TurnCreate, TurnLease
from app.services import whatsapp
from app.services.whatsapp_sender import nudge

router = APIRouter(prefix="/whatsapp", tags=["whatsapp"])
callbacks = APIRouter(tags=["whatsapp"])


@router.post("/inbound", response_model=InboundRecorded)
def record_inbound(body: InboundCreate, session: SessionDep, actor: AssistantDep, response: Response) -> object:
    """Store an inbound message before it is processed; `new` is false for a retried webhook."""
    row, new = whatsapp.record_inbound(session=session, data=body)
    response.status_code = 201 if new else 200
    return InboundRecorded(id=row.id, new=new)


@router.post("/inbound/{message_sid}/processed", status_code=204)
def mark_processed(message_sid: Annotated[str, Path(pattern=r"^[A-Za-z0-9]{10,64}$")], session: SessionDep,
                   actor: AssistantDep) -> Response:
    whatsapp.mark_processed(session=session, message_sid=message_sid)
    return Response(status_code=204)


@router.post("/inbound/{message_sid}/processing", response_model=TurnLease)
def still_processing(message_sid: Annotated[str, Path(pattern=r"^[A-Za-z0-9]{10,64}$")], session: SessionDep,
                     actor: AssistantDep) -> object:
    """A heartbeat of the replica processing this message (the recovery sweep leaves it alone), answered with
    the number of the person's earlier messages still waiting: the turn starts when that is zero."""
    return TurnLease(earlier=whatsapp.still_processing(session=session, message_sid=message_sid))


@router.post("/inbound/pending", response_model=list[MessageRead])
def pending_inbound(session: SessionDep, actor: AssistantDep, settings: SettingsDep,
                    older_than_seconds: int = Query(default=30, ge=0, le=86400)) -> object:
    """Messages to run again (a replica died mid-turn, or the turn failed); each is run again at most
    `whatsapp_turn_reruns` times, then handed to a person."""
    return whatsapp.pending_inbound(session=session, older_than=timedelta(seconds=older_than_seconds),
                                    reruns=settings.whatsapp_turn_reruns)


@router.post("/outbound/turn", response_model=list[MessageRead], status_code=202)
def send_turn(body: TurnCreate, request: Request, session: SessionDep, actor: AssistantDep,
              settings: SettingsDep) -> object:
    """Queue all replies of one turn together, as one WhatsApp message where they fit; the sender delivers
    them (with retries) and logs the outcome."""
    rows = whatsapp.enqueue_turn(session=session, data=body, limit=settings.whatsapp_body_limit)
    nudge(request.app.state)
    return rows


@router.get("/messages", response_model=list[MessageRead])
def list_messages(phone: Phone, session: SessionDep, actor: StaffDep) -> object:
    """The message log with one person (delivery status per message)."""
    return whatsapp.conversation(session=session, actor=actor, phone=phone)


@router.get("/failed", response_model=list[MessageRead])
def list_failed(session: SessionDep, actor: StaffDep) -> object:
    return whatsapp.failed_messages(session=session, actor=actor)


@callbacks.post("/webhooks/twilio/status", status_code=204, include_in_schema=False)
async def status_callback(request: Request, session: SessionDep, settings: SettingsDep,
                          x_twilio_signature: Annotated[str, Header()] = "") -> Response:
    """Twilio's delivery status callback (sent, delivered, read, failed), signed like every webhook."""
    form = {k: str(v) for k, v in (await request.form()).items()}
    url = f"{settings.public_url.rstrip('/')}/webhooks/twilio/status"
    validator = RequestValidator(settings.twilio_auth_token.get_secret_value())
    if not settings.whatsapp_enabled or not validator.validate(url, form, x_twilio_signature):
        raise Forbidden("invalid signature")
    # The database work in a worker thread: this handler is async (it reads the form) and runs on the loop.
    await run_in_threadpool(whatsapp.apply_status, session=session, message_sid=form.get("MessageSid", "")[:64],
                            status=form.get("MessageStatus", ""), error_code=form.get("ErrorCode"))
    return Response(status_code=204)
