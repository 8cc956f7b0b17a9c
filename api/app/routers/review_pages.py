"""The cultuurvertaler's review pages: languages, messages with filters, one message, glossary, coverage."""

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.deps import SessionDep
from app.errors import DomainError
from app.models import ReviewState
from app.models.enums import Role
from app.pages import PageActor, check_csrf, render
from app.services import nlg, translations
from app.services.languages import all_languages
from app.services.preview import EXAMPLES, TOPICS, senders

router = APIRouter(prefix="/review", include_in_schema=False)
Text = Annotated[str, Form(max_length=4000)]


def _names() -> dict[str, str]:
    return {code: lang.name for code, lang in all_languages().items()}


def _back(language: str, key: str, flash: str) -> Response:
    """Back to the message with a notice: `flash` is a code of app.pages.FLASH, never free text."""
    return RedirectResponse(f"/review/{language}/{key}?{urlencode({'flash': flash})}", status_code=303)


@router.get("", response_class=HTMLResponse)
def languages(request: Request, session: SessionDep, actor: PageActor) -> Response:
    visible = translations.visible_languages(actor)
    rows = [row for row in translations.coverage(session) if row.language in visible]
    session.commit()
    return render(request, "review/languages.html", actor, rows=rows, names=_names())


@router.get("/coverage", response_class=HTMLResponse)
def coverage(request: Request, session: SessionDep, actor: PageActor) -> Response:
    translations.visible_languages(actor)
    rows = translations.coverage(session)
    session.commit()
    return render(request, "review/coverage.html", actor, rows=rows, names=_names())


@router.get("/{language}", response_class=HTMLResponse)
def units(request: Request, session: SessionDep, actor: PageActor, language: str, state: str = "",
          impact: str = "", sort: str = "key", q: str = "") -> Response:
    translations.check_visible(actor, language)
    wanted = ReviewState[state] if state in ReviewState.__members__ else None
    views = translations.list_units(session, language, state=wanted, impact=impact or None, sort=sort, query=q[:200])
    session.commit()
    return render(request, "review/list.html", actor, views=views, language=language, name=_names()[language],
                  rtl=all_languages()[language].rtl, states=list(ReviewState), state=state, impact=impact, sort=sort,
                  q=q[:200])


@router.get("/{language}/glossary", response_class=HTMLResponse)
def glossary(request: Request, session: SessionDep, actor: PageActor, language: str) -> Response:
    translations.check_visible(actor, language)
    return render(request, "review/glossary.html", actor, language=language, name=_names()[language],
                  terms=translations.glossary(session, language),
                  can_review=translations.may_review(actor, language))


@router.post("/{language}/glossary", dependencies=[Depends(check_csrf)])
def save_term(session: SessionDep, actor: PageActor, language: str, term: Text, keep: Text,
              explain: Text = "") -> Response:
    translations.save_glossary_term(session, actor, language, term, keep, explain)
    session.commit()
    return RedirectResponse(f"/review/{language}/glossary?flash=term-saved", status_code=303)


@router.get("/{language}/{key}", response_class=HTMLResponse)
def unit(request: Request, session: SessionDep, actor: PageActor, language: str, key: str) -> Response:
    translations.check_visible(actor, language)
    view = translations.get_unit(session, language, key)
    session.commit()
    target = view.unit.target
    failed = translations.run_checks(session, language, view.source.text, target) if target else []
    preview = nlg.decorate(nlg.fill(session, target, EXAMPLES, language), language) if target else ""
    sent_now, sent_in = nlg.render(session, key, EXAMPLES, language) or ("", "nl")
    terms = [t for t in translations.glossary(session, language) if t.term.casefold() in view.source.text.casefold()]
    return render(request, "review/unit.html", actor, view=view, unit=view.unit, language=language,
                  name=_names()[language], rtl=all_languages()[language].rtl, failed=failed, preview=preview,
                  sent_now=sent_now, sent_now_dutch=sent_in != language, terms=terms,
                  where=TOPICS.get(view.source.topic, view.source.topic), senders=senders().get(key, []),
                  history=translations.history(session, view.unit),
                  state_names={s.value: s.name.replace("_", " ") for s in ReviewState},
                  can_review=translations.may_review(actor, language),
                  can_flag=actor.user is not None and actor.user.role in (Role.consultant, Role.admin))


@router.post("/{language}/{key}/save", dependencies=[Depends(check_csrf)])
def save(session: SessionDep, actor: PageActor, language: str, key: str, target: Text = "",
         note: Text = "") -> Response:
    view = translations.edit(session, actor, language, key, target, note)
    session.commit()
    return _back(language, key, "saved-review" if view.unit.target else "saved")


@router.post("/{language}/{key}/approve", dependencies=[Depends(check_csrf)])
def approve(session: SessionDep, actor: PageActor, language: str, key: str) -> Response:
    try:
        translations.approve(session, actor, language, key)
    except translations.CheckFailed:
        session.rollback()
        return _back(language, key, "approve-failed")  # the page lists the failing checks
    session.commit()
    return _back(language, key, "approved")


@router.post("/{language}/{key}/reject", dependencies=[Depends(check_csrf)])
def reject(session: SessionDep, actor: PageActor, language: str, key: str, reason: Text = "") -> Response:
    try:
        translations.reject(session, actor, language, key, reason)
    except DomainError as exc:
        if exc.status_code != 400:
            raise
        return _back(language, key, "reject-failed")
    session.commit()
    return _back(language, key, "rejected")


@router.post("/{language}/{key}/comment", dependencies=[Depends(check_csrf)])
def comment(session: SessionDep, actor: PageActor, language: str, key: str, text: Text = "") -> Response:
    translations.comment(session, actor, language, key, text)
    session.commit()
    return _back(language, key, "comment-added")


@router.post("/{language}/{key}/flag", dependencies=[Depends(check_csrf)])
def flag(session: SessionDep, actor: PageActor, language: str, key: str, note: Text = "") -> Response:
    translations.flag(session, actor, language, key, note, via="page")
    session.commit()
    return _back(language, key, "flagged")
