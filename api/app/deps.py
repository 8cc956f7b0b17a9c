"""Request dependencies: database session, who is calling, the verified client."""

from typing import Annotated

from fastapi import Depends, Header, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from app.config import Settings, get_settings
from app.db import get_session
from app.errors import DomainError, Forbidden
from app.models import Client
from app.schemas.common import normalise_phone
from app.services import staff as staff_service
from app.services.access import ASSISTANT, Actor, staff_actor
from app.services.clients import verified_client_by_phone
from app.services.security import csrf_token, same

SessionDep = Annotated[Session, Depends(get_session)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
_bearer = HTTPBearer(auto_error=False)
BearerDep = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


class Unauthenticated(DomainError):
    status_code = 401


SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def _same_origin(request: Request, origin: str) -> bool:
    own = f"{request.url.scheme}://{request.url.netloc}"
    # Behind a TLS proxy the API may see http://; the configured public address is ours too.
    public = get_settings().public_url.rstrip("/")
    return origin in (own, public)


def _check_cookie_request(request: Request, token: str) -> None:
    """A browser sends the cookie on any site's request; only our pages know the CSRF token."""
    if not same(request.headers.get("x-csrf-token", ""), csrf_token(token)):
        raise Forbidden("a request with the session cookie needs the X-CSRF-Token header "
                        "(the csrf-token meta tag of the staff pages); API clients send a bearer token")
    origin = request.headers.get("origin")
    if origin is not None and not _same_origin(request, origin):
        raise Forbidden("request from another origin refused")


def _token(request: Request, credentials: HTTPAuthorizationCredentials | None) -> str:
    # Web pages carry the same token in a cookie; API clients send a bearer header.
    if credentials:
        return credentials.credentials
    token = request.cookies.get("session")
    if not token:
        raise Unauthenticated("log in first")
    if request.method not in SAFE_METHODS:
        _check_cookie_request(request, token)
    return token


def client_address(request: Request) -> str:
    """The caller's address: uvicorn takes it from X-Forwarded-For only when the proxy is trusted
    (--forwarded-allow-ips), and nginx overwrites that header with the real peer."""
    return request.client.host if request.client else "unknown"


def current_staff(request: Request, session: SessionDep, credentials: BearerDep) -> Actor:
    user = staff_service.user_for_token(session=session, token=_token(request, credentials))
    if user is None:
        raise Unauthenticated("your session has ended; log in again")
    return staff_actor(user)


def assistant(credentials: BearerDep, settings: SettingsDep) -> Actor:
    if credentials is None:
        raise Unauthenticated("service token required")
    if not same(credentials.credentials, settings.service_token.get_secret_value()):
        raise Forbidden("invalid service token")
    return ASSISTANT


StaffDep = Annotated[Actor, Depends(current_staff)]
AssistantDep = Annotated[Actor, Depends(assistant)]


def client_phone(
    x_client_phone: Annotated[str, Header(max_length=40, description="the person's WhatsApp number")],
) -> str:
    """The WhatsApp number the assistant speaks for (verified or not), normalised."""
    try:
        return normalise_phone(x_client_phone)
    except ValueError as exc:
        raise DomainError(f"X-Client-Phone: {exc}") from exc


ClientPhoneDep = Annotated[str, Depends(client_phone)]


def verified_client(actor: AssistantDep, session: SessionDep, phone: ClientPhoneDep) -> Client:
    """The client behind a verified WhatsApp number; case data never reaches another phone."""
    return verified_client_by_phone(session=session, phone=phone)


VerifiedClientDep = Annotated[Client, Depends(verified_client)]
