"""The safety lexicons on the review pages (app.services.safety_lexicon): read, try, add, take out, undo.
Registered before the translation pages, whose /review/{language}/{key} would otherwise take these paths."""

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.deps import SessionDep
from app.errors import DomainError
from app.pages import PageActor, check_csrf, render
from app.schemas.common import DbId
from app.services import safety_lexicon
from app.services.languages import all_languages
from bot.safety import CLASSES, LEVELS

router = APIRouter(prefix="/review", include_in_schema=False)
Text = Annotated[str, Form(max_length=2000)]
Phrase = Annotated[str, Form(max_length=400)]


def _page(request: Request, session: SessionDep, actor: PageActor, language: str, status_code: int = 200,
          **extra: object) -> Response:
    safety_lexicon.check_visible(actor)
    rows = safety_lexicon.view(session, language)
    language_info = all_languages().get(language)
    return render(request, "review/safety.html", actor, status_code=status_code, language=language,
                  name=language_info.name if language_info else language, rows=rows, levels=LEVELS, classes=CLASSES,
                  languages=safety_lexicon.languages(), history=safety_lexicon.history(session, language),
                  can_edit=safety_lexicon.may_edit(actor, language), **extra)


@router.get("/{language}/safety", response_class=HTMLResponse)
def lexicon(request: Request, session: SessionDep, actor: PageActor, language: str, test: str = "",
            remove: str = "", level: str = "", safety_class: str = "") -> Response:
    """The lexicon of one language; ?test=<phrase> tries a phrase on the safety data before it is added,
    ?remove=<phrase>&level=..&safety_class=.. opens the form to take one out."""
    safety_lexicon.check_visible(actor)  # before the trial reads the safety data
    safety_lexicon.check_language(language)
    trial, error = None, None
    if test.strip():
        try:
            trial = safety_lexicon.trial(test[:400])
        except DomainError as exc:
            error = exc.message
    taking_out = {"phrase": remove[:400], "level": level, "safety_class": safety_class} if remove else None
    return _page(request, session, actor, language, trial=trial, error=error, test=test[:400], taking_out=taking_out)


def _change(request: Request, session: SessionDep, actor: PageActor, language: str, change: Callable[[], object],
            flash: str, refused: dict[str, object]) -> Response:
    """Make a change; a refused one brings the form back with what was typed and why (422)."""
    try:
        change()
    except DomainError as exc:
        if exc.status_code != 400:
            raise
        session.rollback()
        return _page(request, session, actor, language, status_code=422, error=exc.message, trial=None,
                     **{"test": "", "taking_out": None, **refused})
    session.commit()
    return RedirectResponse(f"/review/{language}/safety?flash={flash}", status_code=303)


@router.post("/{language}/safety/add", dependencies=[Depends(check_csrf)])
def add(request: Request, session: SessionDep, actor: PageActor, language: str, level: Text, safety_class: Text,
        phrase: Phrase, note: Text = "") -> Response:
    return _change(request, session, actor, language,
                   lambda: safety_lexicon.add(session, actor, language, level, safety_class, phrase, note),
                   "phrase-added", {"test": phrase[:400]})


@router.post("/{language}/safety/remove", dependencies=[Depends(check_csrf)])
def remove(request: Request, session: SessionDep, actor: PageActor, language: str, level: Text, safety_class: Text,
           phrase: Phrase, reason: Text = "") -> Response:
    return _change(request, session, actor, language,
                   lambda: safety_lexicon.remove(session, actor, language, level, safety_class, phrase, reason),
                   "phrase-removed",
                   {"taking_out": {"phrase": phrase[:400], "level": level, "safety_class": safety_class}})


@router.post("/safety-changes/{change_id}/undo", dependencies=[Depends(check_csrf)])
def undo(session: SessionDep, actor: PageActor, change_id: DbId) -> Response:
    row = safety_lexicon.undo(session, actor, change_id)
    session.commit()
    return RedirectResponse(f"/review/{row.language}/safety?flash=change-undone", status_code=303)
