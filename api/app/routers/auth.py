
from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from app.deps import BearerDep, SessionDep, StaffDep, _token, client_address
from app.schemas.staff import LoginRequest, StaffRead, TokenResponse
from app.services import staff as staff_service
from app.services import throttle

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/login", response_model=TokenResponse, responses={429: {"description": "too many failed log-ins"}})
def login(request: Request, body: LoginRequest, session: SessionDep) -> object:
    try:
        token, row = throttle.login(session=session, throttle=request.app.state.throttle, email=body.email,
                                    password=body.password, address=client_address(request))
    except throttle.Throttled as exc:
        return JSONResponse({"detail": exc.message}, status_code=429, headers={"Retry-After": str(exc.retry_after)})
    return TokenResponse(access_token=token, expires_at=row.expires_at)


@router.post("/logout", status_code=204)
def logout(request: Request, session: SessionDep, credentials: BearerDep, actor: StaffDep) -> Response:
    staff_service.logout(session=session, token=_token(request, credentials))
    return Response(status_code=204)


@router.get("/me", response_model=StaffRead)
def me(actor: StaffDep) -> object:
    return actor.user


