"""What the server-rendered staff pages share: templates, the logged-in user, CSRF, friendly errors."""

from typing import Annotated, Any

from fastapi import Depends, Form, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from app.config import REPO_ROOT
from app.deps import SessionDep
from app.errors import DomainError, Forbidden
from app.services import staff as staff_service
from app.services.access import Actor, staff_actor
from app.services.security import csrf_token, same

templates = Jinja2Templates(directory=REPO_ROOT / "api" / "app" / "templates")
STATIC_DIR = REPO_ROOT / "api" / "app" / "static"
COOKIE = "session"


class LoginRequired(Exception):
    """Raised by page dependencies; answered with a redirect to the login page."""


def page_actor(request: Request, session: SessionDep) -> Actor:
    token = request.cookies.get(COOKIE)
    user = staff_service.user_for_token(session=session, token=token) if token else None
    if user is None:
        raise LoginRequired
    request.state.csrf = csrf_token(token or "")
    return staff_actor(user)


PageActor = Annotated[Actor, Depends(page_actor)]


def check_csrf(request: Request, csrf: Annotated[str, Form(max_length=100)] = "") -> None:
    expected = getattr(request.state, "csrf", None)
    if expected is None:
        token = request.cookies.get(COOKIE)
        if not token:
            raise LoginRequired
        expected = csrf_token(token)
    if not same(csrf, expected):
        raise Forbidden("the form has expired; reload the page and try again")


# The notices a redirect may ask a page to show (?flash=<code>): a link cannot make our page say anything else.
FLASH: dict[str, tuple[str, str]] = {
    # inbox
    "away": ("You are marked away; your clients' hand-offs go to your colleague.", "ok"),
    "back": ("Welcome back.", "ok"),
    "claimed": ("Claimed: you handle this hand-off.", "ok"),
    "transferred": ("Transferred: your colleague handles this hand-off now.", "ok"),
    "note-added": ("Note added.", "ok"),
    "reply-queued": ("Reply queued for WhatsApp.", "ok"),
    "sending-again": ("Sending again.", "ok"),
    "closed": ("Closed. The assistant answers this person again and has told them so.", "ok"),
    "safety-feedback": ("Thank you: your verdict on the safety signal is saved for the people who review the "
                        "safety lexicons.", "ok"),
    "close-failed": ("Not closed: the assistant is not reachable or refused to take over; the hand-off stays open. "
                     "Try again in a minute.", "error"),
    # review
    "saved": ("Saved.", "ok"),
    "saved-review": ("Saved. The translation needs review.", "ok"),
    "approved": ("Approved. The assistant now sends this translation.", "ok"),
    "approve-failed": ("Not approved: the translation fails the checks listed below.", "error"),
    "rejected": ("Rejected. The assistant sends the Dutch text until it is fixed.", "ok"),
    "reject-failed": ("Not rejected: say in plain text why the translation is rejected.", "error"),
    "comment-added": ("Comment added.", "ok"),
    "flagged": ("Flagged. A cultuurvertaler will look at it again.", "ok"),
    "term-saved": ("Saved to the glossary.", "ok"),
    # safety lexicons
    "phrase-added": ("Added. The assistant uses the phrase within a few seconds.", "ok"),
    "phrase-removed": ("Taken out. The assistant stops using the phrase within a few seconds.", "ok"),
    "change-undone": ("Undone.", "ok"),
}


def render(request: Request, template: str, actor: Actor | None, status_code: int = 200,
           **context: Any) -> HTMLResponse:
    flash, flash_kind = FLASH.get(request.query_params.get("flash", ""), (None, None))
    return templates.TemplateResponse(
        request, template, {"user": actor.user if actor else None, "csrf": getattr(request.state, "csrf", ""),
                        "flash": flash, "flash_kind": flash_kind, **context}, status_code=status_code)


def is_page(request: Request) -> bool:
    path = request.url.path
    return path in ("/", "/login", "/logout") or path.startswith(("/review", "/inbox", "/stats"))


def error_page(request: Request, exc: DomainError) -> HTMLResponse:
    titles = {403: "Not allowed", 404: "Not found", 422: "Cannot do that"}
    return templates.TemplateResponse(request, "error.html", {
        "user": None, "status": exc.status_code, "title": titles.get(exc.status_code, "Something is wrong"),
        "message": exc.message}, status_code=exc.status_code)
