"""What a consultant sees of a hand-off: the client in brief, the conversation with the assistant in the
client's words beside the Dutch of each bot message, what the assistant understood, and machine
translation when the gemeente has configured a provider."""

import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache

import httpx
from sqlalchemy import Engine, create_engine, or_, select
from sqlalchemy import text as sql
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.config import get_settings
from app.errors import DomainError
from app.models import Appointment, Client, Handoff, StaffUser, WhatsAppMessage
from app.models.enums import Direction
from app.models.types import utcnow
from app.rules import termijn_end
from app.services import audit
from app.services.access import Actor
from app.services.appointments import title as appointment_title
from app.services.appointments import upcoming
from app.services.gemeenten import settings_of
from app.services.languages import all_languages
from app.services.schedule import lessons_for_client

# How the assistant's topics read for a consultant (intent -> Dutch).
INTENT_NL = {
    "ask_lessons": "vraag over lessen", "ask_appointments": "vraag over afspraken", "ask_route": "vraag over route",
    "ask_termijn": "vraag over termijn", "ask_ontzorgen": "vraag over ontzorgen",
    "ask_payment_status": "vraag over een betaling", "ask_contact_person": "vraag naar contactpersoon",
    "ask_privacy": "vraag over privacy", "report_absence": "meldt afwezigheid",
    "request_reschedule": "wil afspraak verzetten",
    "request_cancel": "wil afspraak afzeggen", "request_human": "wil een mens spreken",
    "legal_matter": "juridische vraag (bezwaar, boete, besluit)", "money_emergency": "geldnood",
    "distress": "zorgwekkend: noodsituatie of psychische nood", "explain_term": "vraagt uitleg van een woord",
    "not_right": "meldt dat iets niet klopt", "dont_understand": "begrijpt het vorige bericht niet",
    "greet": "groet", "goodbye": "afscheid", "thank": "bedankt", "affirm": "ja", "deny": "nee",
    "out_of_scope": "iets anders dan inburgering", "nlu_fallback": "niet begrepen", "help": "vraagt hulp",
    "choose_language": "kiest een taal", "provide_code": "stuurt koppelcode", "menu_choice": "kiest uit menu",
    "bot_challenge": "vraagt of dit een mens is", "media_message": "stuurt spraak, foto of bestand",
    "empty_message": "leeg bericht", "ask_decision": "vraagt om een besluit (examen, meer tijd, vrijstelling)",
}
LOW_CONFIDENCE = 0.5


@dataclass
class Understood:
    topic: str
    confidence: float
    details: list[str]
    language: str | None


@dataclass
class ThreadMessage:
    message: WhatsAppMessage
    understood: Understood | None = None
    translation: str | None = None


@dataclass
class ClientSummary:
    name: str
    gemeente: str
    language: str
    route: str
    termijn_end: date | None
    next_lesson: datetime | None
    next_appointment: Appointment | None
    next_appointment_title: str
    interpreter_needed: bool
    consultant: str | None


@dataclass
class View:
    handoff: Handoff
    client: ClientSummary | None
    thread: list[ThreadMessage] = field(default_factory=list)
    interpreter_advised: bool = False
    machine_translation: bool = False


def client_summary(session: Session, actor: Actor, client: Client) -> ClientSummary:
    now = utcnow()
    lessons = lessons_for_client(session=session, actor=actor, client=client, start=now, end=now + timedelta(days=28))
    appointments = upcoming(session=session, actor=actor, client=client, now=now, limit=1)
    audit.record(session, actor=actor, action="read:client-summary", client_id=client.id)
    return ClientSummary(
        name=f"{client.first_name} {client.last_name}", gemeente=client.gemeente.name,
        language=client.preferred_language, route=client.leerroute.value,
        termijn_end=termijn_end(client.pip_date, client.duo_extension_months),
        next_lesson=next((lesson.starts_at for lesson in lessons if not lesson.cancelled), None),
        next_appointment=appointments[0] if appointments else None,
        next_appointment_title=appointment_title(appointments[0]) if appointments else "",
        interpreter_needed=client.interpreter_needed,
        consultant=client.consultant.name if client.consultant else None)


def thread(session: Session, handoff: Handoff, days: int = 7) -> list[WhatsAppMessage]:
    """The recent conversation with the assistant and everything in this hand-off's thread."""
    since = handoff.created_at - timedelta(days=days)
    return list(session.scalars(
        select(WhatsAppMessage).where(WhatsAppMessage.phone == handoff.phone,
                                      or_(WhatsAppMessage.created_at >= since,
                                          WhatsAppMessage.handoff_id == handoff.id))
        .order_by(WhatsAppMessage.created_at, WhatsAppMessage.id)))


def understood_by_message(tracker: dict | None) -> dict[str, Understood]:  # type: ignore[type-arg]
    """From the Rasa tracker's user events: intent, confidence, entities, language, keyed by MessageSid."""
    found: dict[str, Understood] = {}
    for event in (tracker or {}).get("events") or []:
        if event.get("event") != "user" or not event.get("message_id"):
            continue
        parse = event.get("parse_data") or {}
        intent = parse.get("intent") or {}
        entities = parse.get("entities") or []
        language = next((str(e.get("value")) for e in entities if e.get("entity") == "detected_language"), None)
        details = [f"{e.get('entity')}: {e.get('value')}" for e in entities
                   if e.get("entity") not in ("detected_language", "written_language")][:5]
        found[event["message_id"]] = Understood(
            topic=INTENT_NL.get(intent.get("name") or "", intent.get("name") or "onbekend"),
            confidence=float(intent.get("confidence") or 0.0), details=details, language=language)
    return found


@lru_cache
def events_engine(url: str) -> Engine:
    return create_engine(url, pool_pre_ping=True)


def rasa_tracker(sender_id: str) -> dict | None:  # type: ignore[type-arg]
    """The person's conversation events: from Rasa's event broker table when configured (production:
    several replicas), else from Rasa's HTTP API."""
    settings = get_settings()
    if settings.events_database_url:
        try:
            with events_engine(settings.events_database_url).connect() as conn:
                rows = conn.execute(sql("SELECT data FROM events WHERE sender_id = :s ORDER BY id"),
                                    {"s": sender_id}).scalars().all()
        except SQLAlchemyError:
            return None
        return {"events": [json.loads(row) for row in rows]}
    try:
        res = httpx.get(f"{settings.rasa_url}/conversations/{sender_id}/tracker",
                        params={"token": settings.rasa_token.get_secret_value()}, timeout=5)
    except httpx.HTTPError:
        return None  # the page works without it
    return res.json() if res.status_code == 200 else None


def machine_translate(url: str, texts: list[str], target: str = "nl") -> list[str]:
    """A LibreTranslate-compatible provider (POST /translate {q, source, target})."""
    out = []
    for text in texts:
        try:
            res = httpx.post(f"{url.rstrip('/')}/translate", json={"q": text, "source": "auto", "target": target,
                                                                   "format": "text"}, timeout=10)
            res.raise_for_status()
            out.append(str(res.json()["translatedText"]))
        except (httpx.HTTPError, KeyError, ValueError) as exc:
            raise DomainError("the machine translation service did not answer; try again later") from exc
    return out


def view(session: Session, actor: Actor, handoff: Handoff, *, translate: bool = False,
         summary_too: bool = True) -> View:
    client = session.get(Client, handoff.client_id) if handoff.client_id else None
    summary = client_summary(session, actor, client) if client and summary_too else None
    settings = settings_of(client.gemeente) if client else None
    understood = understood_by_message(rasa_tracker(handoff.phone))
    messages = [ThreadMessage(message=m, understood=understood.get(m.message_sid or ""))
                for m in thread(session, handoff)]
    mt_url = settings.machine_translation_url if settings else ""
    if translate and mt_url:
        inbound = [t for t in messages if t.message.direction == Direction.inbound and t.message.body.strip()]
        for item, text in zip(inbound, machine_translate(mt_url, [t.message.body for t in inbound]), strict=True):
            item.translation = text
        if client is not None:
            audit.record(session, actor=actor, action="translate:handoff", client_id=client.id)
    handler = session.get(StaffUser, handoff.assigned_to_id) if handoff.assigned_to_id else None
    speaks = set(handler.languages or []) if handler else set()
    low = any(t.understood and t.understood.confidence < LOW_CONFIDENCE for t in messages)
    advised = handoff.interpreter_needed or (handoff.language not in speaks and handoff.language != "nl") or low
    session.commit()
    return View(handoff=handoff, client=summary, thread=messages, interpreter_advised=advised,
                machine_translation=bool(mt_url))


def language_name(code: str) -> str:
    lang = all_languages().get(code)
    return f"{lang.name} ({code})" if lang else code
