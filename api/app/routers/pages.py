"""Log in and out of the staff pages (a cookie carrying the same session token as the API's bearer)."""

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.deps import SessionDep, SettingsDep, client_address
from app.errors import Forbidden
from app.models.enums import Role
from app.pages import COOKIE, PageActor, check_csrf, render
from app.services import staff as staff_service
from app.services import throttle

router = APIRouter(include_in_schema=False)


def _safe_next(target: str) -> str:
    # Only paths on this site: no open redirect to another host.
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else "/"


@router.get("/", response_class=HTMLResponse)
def home(actor: PageActor) -> Response:
    assert actor.user is not None
    # Consultants and admins start at the inbox; cultuurvertalers at their languages.
    return RedirectResponse("/review" if actor.user.role == Role.cultuurvertaler else "/inbox", status_code=303)


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/") -> Response:
    return render(request, "login.html", None, next=_safe_next(next))


@router.post("/login", response_class=HTMLResponse)
def login(request: Request, session: SessionDep, settings: SettingsDep,
          email: Annotated[str, Form(max_length=254)], password: Annotated[str, Form(max_length=200)],
          next: Annotated[str, Form(max_length=500)] = "/") -> Response:
    try:
        token, row = throttle.login(session=session, throttle=request.app.state.throttle, email=email,
                                    password=password, address=client_address(request))
    except throttle.Throttled as exc:
        response = render(request, "login.html", None, status_code=429, error=exc.message, email=email,
                          next=_safe_next(next))
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    except Forbidden:
        return render(request, "login.html", None, status_code=401, error="Wrong e-mail or password.",
                      email=email, next=_safe_next(next))
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(COOKIE, token, httponly=True, samesite="strict", path="/",
                        secure=settings.public_url.startswith("https://"),
                        max_age=int((row.expires_at - row.created_at).total_seconds()))
    return response


@router.post("/logout", dependencies=[Depends(check_csrf)])
def logout(request: Request, session: SessionDep, actor: PageActor) -> Response:
    staff_service.logout(session=session, token=request.cookies.get(COOKIE, ""))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


def login_redirect(request: Request) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?next={quote(target)}", status_code=303)

