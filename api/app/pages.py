"""What the server-rendered staff pages share: templates, the logged-in user, CSRF, friendly errors."""

import hashlib
from typing import Annotated, Any

from fastapi import Depends, Form, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from app.config import REPO_ROOT
from app.deps import SessionDep
from app.errors import DomainError, Forbidden
from app.services import staff as staff_service
from app.services.access import Actor, staff_actor
from app.services.security import same

templates = Jinja2Templates(directory=REPO_ROOT / "api" / "app" / "templates")
STATIC_DIR = REPO_ROOT / "api" / "app" / "static"
COOKIE = "session"


class LoginRequired(Exception):
    """Raised by page dependencies; answered with a redirect to the login page."""


def csrf_token(session_token: str) -> str:
    # Derived from the HttpOnly session cookie, which another site can neither read nor guess.
    return hashlib.sha256(f"csrf:{session_token}".encode()).hexdigest()


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


def render(request: Request, template: str, actor: Actor | None, status_code: int = 200,
           **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(
        request, template, {"user": actor.user if actor else None, "csrf": getattr(request.state, "csrf", ""),
                        "flash": context.pop("flash", None) or request.query_params.get("flash"),
                        "flash_kind": context.pop("flash_kind", None) or request.query_params.get("kind"),
                        **context}, status_code=status_code)


def is_page(request: Request) -> bool:
    path = request.url.path
    return path in ("/", "/login", "/logout") or path.startswith(("/review", "/inbox", "/stats"))


def error_page(request: Request, exc: DomainError) -> HTMLResponse:
    titles = {403: "Not allowed", 404: "Not found", 422: "Cannot do that"}
    return templates.TemplateResponse(request, "error.html", {
        "user": None, "status": exc.status_code, "title": titles.get(exc.status_code, "Something is wrong"),
        "message": exc.message}, status_code=exc.status_code)
