"""Translations as JSON, for tools and the inbox (the review pages use the same services)."""

from typing import Annotated

from fastapi import APIRouter, Path, Response

from app.deps import AssistantDep, SessionDep, StaffDep
from app.models import ReviewState
from app.schemas.translation import (
    CoverageRead,
    EditRequest,
    FlagRequest,
    NotUnderstoodRequest,
    RejectRequest,
    UnitRead,
)
from app.services import nlg, translations
from app.services.translations import UnitView

router = APIRouter(prefix="/translations", tags=["translations"])
# Examples steer the schema fuzzer to real languages and keys too, past the "not your language" answer.
LanguagePath = Annotated[str, Path(max_length=10, examples=["ar"])]
KeyPath = Annotated[str, Path(max_length=100, examples=["utter_menu"])]
assistant_router = APIRouter(prefix="/assistant", tags=["assistant"])


def _read(view: UnitView) -> UnitRead:
    unit = view.unit
    return UnitRead(language=unit.language, key=unit.key, impact=view.source.impact, topic=view.source.topic,
                    source=view.source.text, target=unit.target, state=ReviewState(unit.state).name,
                    outdated=view.outdated, note=unit.note, reject_reason=unit.reject_reason,
                    not_understood=unit.not_understood, flags=unit.flags)


@router.get("/coverage", response_model=list[CoverageRead])
def coverage(session: SessionDep, actor: StaffDep) -> list[CoverageRead]:
    translations.visible_languages(actor)
    return [CoverageRead(language=row.language, total=row.total, translated=row.translated, approved=row.approved,
                         high_impact_in_dutch=row.high_fallback) for row in translations.coverage(session)]


@router.get("/{language}", response_model=list[UnitRead])
def list_units(session: SessionDep, actor: StaffDep, language: LanguagePath, state: ReviewState | None = None,
               impact: str | None = None, sort: str = "key") -> list[UnitRead]:
    translations.check_visible(actor, language)
    views = translations.list_units(session, language, state=state, impact=impact, sort=sort)
    session.commit()
    return [_read(v) for v in views]


@router.put("/{language}/{key}", response_model=UnitRead)
def edit(session: SessionDep, actor: StaffDep, language: LanguagePath, key: KeyPath, body: EditRequest) -> UnitRead:
    view = translations.edit(session, actor, language, key, body.target, body.note, via="api")
    session.commit()
    return _read(view)


@router.post("/{language}/{key}/approve", response_model=UnitRead)
def approve(session: SessionDep, actor: StaffDep, language: LanguagePath, key: KeyPath) -> UnitRead:
    view = translations.approve(session, actor, language, key, via="api")
    session.commit()
    return _read(view)


@router.post("/{language}/{key}/reject", response_model=UnitRead)
def reject(session: SessionDep, actor: StaffDep, language: LanguagePath, key: KeyPath, body: RejectRequest) -> UnitRead:
    view = translations.reject(session, actor, language, key, body.reason, via="api")
    session.commit()
    return _read(view)


@router.post("/{language}/{key}/flag", response_model=UnitRead)
def flag(session: SessionDep, actor: StaffDep, language: LanguagePath, key: KeyPath, body: FlagRequest) -> UnitRead:
    """A consultant saw in a hand-off that the client did not understand this message."""
    view = translations.flag(session, actor, language, key, body.note, body.handoff_id)
    session.commit()
    return _read(view)


@assistant_router.post("/not-understood", status_code=204)
def not_understood(session: SessionDep, actor: AssistantDep, body: NotUnderstoodRequest) -> Response:
    language = nlg.pick_language({k: v for k, v in body.slots.items() if v})
    translations.count_not_understood(session, language, body.key)
    session.commit()
    return Response(status_code=204)
