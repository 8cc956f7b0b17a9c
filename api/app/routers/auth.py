
from fastapi import APIRouter, Request, Response

from app.deps import BearerDep, SessionDep, StaffDep, _token
from app.schemas.staff import LoginRequest, StaffRead, TokenResponse
from app.services import staff as staff_service

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/login", response_model=TokenResponse)
def login(body: LoginRequest, session: SessionDep) -> TokenResponse:
    token, row = staff_service.login(session=session, email=body.email, password=body.password)
    return TokenResponse(access_token=token, expires_at=row.expires_at)


@router.post("/logout", status_code=204)
def logout(request: Request, session: SessionDep, credentials: BearerDep, actor: StaffDep) -> Response:
    staff_service.logout(session=session, token=_token(request, credentials))
    return Response(status_code=204)


@router.get("/me", response_model=StaffRead)
def me(actor: StaffDep) -> object:
    return actor.user


