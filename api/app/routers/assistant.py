"""Endpoints for the action server. Personal data only for the verified phone in X-Client-Phone."""

from datetime import timedelta

from fastapi import APIRouter, BackgroundTasks, Query

from app.deps import AssistantDep, ClientPhoneDep, SessionDep, VerifiedClientDep
from app.models.types import utcnow
from app.rules import local_today
from app.schemas.appointment import AppointmentList, ChangeRequestCreate, ChangeRequestRead
from app.schemas.client import ClientProfile, ConsentGiven, ConsentRead, RouteRead
from app.schemas.common import AwareDatetime, DbId
from app.schemas.gemeente import GemeentePublic
from app.schemas.handoff import HandoffCreate, HandoffOpened, HandoffRead
from app.schemas.ontzorgen import OntzorgenRead
from app.schemas.records import AbsenceCreate, AbsenceRead, PairingResult, PairingVerify
from app.schemas.schedule import LessonList
from app.services import (
    absences,
    appointments,
    clients,
    consent,
    gemeenten,
    handoffs,
    notify,
    ontzorgen,
    pairing,
    safety_lexicon,
    schedule,
)

router = APIRouter(prefix="/assistant", tags=["assistant"])


@router.post("/pairing/verify", response_model=PairingResult)
def verify_pairing(body: PairingVerify, session: SessionDep, actor: AssistantDep) -> PairingResult:
    client = pairing.verify_code(session=session, actor=actor, phone=body.phone, code=body.code)
    return PairingResult(client_id=client.id, first_name=client.first_name,
                         preferred_language=client.preferred_language, bilingual=client.bilingual)


@router.get("/gemeenten", response_model=list[GemeentePublic])
def list_gemeenten(session: SessionDep, actor: AssistantDep) -> object:
    """General facts per gemeente (titles, office hours, ontzorgen length): not personal."""
    return gemeenten.list_gemeenten(session=session)


@router.get("/safety-lexicon")
def safety_lexicon_changes(session: SessionDep, actor: AssistantDep) -> dict[str, list[dict[str, object]]]:
    """The reviewers' changes to the safety lexicons, in order, for the detector in every Rasa replica
    (bot.safety_changes): not personal."""
    return {"changes": [{"language": c.language, "level": c.level, "safety_class": c.safety_class,
                         "phrase": c.phrase, "removed": c.removed} for c in safety_lexicon.changes(session)]}


@router.get("/consent", response_model=ConsentRead)
def read_consent(phone: ClientPhoneDep, session: SessionDep, actor: AssistantDep) -> ConsentRead:
    """The answer to the privacy notice from this number (any number: consent comes before pairing)."""
    return consent.as_read(consent.read(session, actor=actor, phone=phone))


@router.post("/consent", response_model=ConsentRead, status_code=201)
def give_consent(body: ConsentGiven, phone: ClientPhoneDep, session: SessionDep, actor: AssistantDep) -> ConsentRead:
    return consent.as_read(consent.record(session, actor=actor, phone=phone, given=body.given, how=body.how))


@router.get("/me", response_model=ClientProfile)
def read_me(client: VerifiedClientDep, session: SessionDep, actor: AssistantDep) -> ClientProfile:
    return clients.profile(session=session, actor=actor, client=client)


@router.get("/me/route", response_model=RouteRead)
def read_route(client: VerifiedClientDep, session: SessionDep, actor: AssistantDep) -> RouteRead:
    return clients.route(session=session, actor=actor, client=client)


@router.get("/me/lessons", response_model=LessonList)
def list_lessons(
    client: VerifiedClientDep, session: SessionDep, actor: AssistantDep,
    start: AwareDatetime | None = None, end: AwareDatetime | None = None,
) -> LessonList:
    start = start or utcnow()
    end = end or start + timedelta(days=7)
    lessons = schedule.lessons_for_client(session=session, actor=actor, client=client, start=start, end=end)
    return LessonList(data=lessons, count=len(lessons), start=start, end=end)


@router.get("/me/appointments", response_model=AppointmentList)
def list_appointments(client: VerifiedClientDep, session: SessionDep, actor: AssistantDep,
                      limit: int = Query(default=5, ge=1, le=50)) -> AppointmentList:
    rows = appointments.upcoming(session=session, actor=actor, client=client, now=utcnow(), limit=limit)
    return AppointmentList(data=rows, count=len(rows))  # type: ignore[arg-type]


@router.post("/me/appointments/{appointment_id}/requests", response_model=ChangeRequestRead, status_code=201)
def request_change(appointment_id: DbId, body: ChangeRequestCreate, client: VerifiedClientDep,
                   session: SessionDep, actor: AssistantDep) -> object:
    return appointments.request_change(session=session, actor=actor, client=client,
                                       appointment_id=appointment_id, data=body, now=utcnow())


@router.post("/me/absences", response_model=AbsenceRead, status_code=201)
def report_absence(body: AbsenceCreate, client: VerifiedClientDep, session: SessionDep,
                   actor: AssistantDep) -> object:
    return absences.report(session=session, actor=actor, client=client, data=body)


@router.get("/me/ontzorgen", response_model=OntzorgenRead)
def read_ontzorgen(client: VerifiedClientDep, session: SessionDep, actor: AssistantDep) -> OntzorgenRead:
    return ontzorgen.overview(session=session, actor=actor, client=client, today=local_today())


@router.post("/handoffs", response_model=HandoffOpened, status_code=201)
def open_handoff(body: HandoffCreate, session: SessionDep, actor: AssistantDep, tasks: BackgroundTasks) -> object:
    """Hand the conversation with this phone to a person (verified or not)."""
    opened = handoffs.open_handoff(session=session, actor=actor, data=body)
    if opened.notify is not None and opened.notify.email:
        tasks.add_task(notify.new_handoff, opened.notify.email, opened.handoff.id, opened.handoff.urgency)
    read = HandoffRead.model_validate(opened.handoff)
    return HandoffOpened(**read.model_dump(), outside_hours=opened.outside_hours,
                         emergency_numbers=opened.emergency_numbers,
                         pauses_assistant=handoffs.pauses_assistant(opened.handoff.trigger))
