"""The API application: wiring only."""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from app import metrics
from app.config import get_settings
from app.db import _session_factory, get_engine
from app.deps import SessionDep
from app.errors import DomainError
from app.headers import SecurityHeaders
from app.pages import STATIC_DIR, LoginRequired, error_page, is_page
from app.routers import (
    appointments,
    assistant,
    audit,
    auth,
    clients,
    gemeenten,
    groups,
    handoffs,
    inbox_pages,
    nlg,
    pages,
    review_pages,
    safety,
    safety_pages,
    staff,
    stats,
    translations,
    whatsapp,
)
from app.services import throttle
from app.services.whatsapp_sender import Sender
from bot import logs

API_PREFIX = "/api/v1"
log = logging.getLogger("inburgering.api")


def configure_logging() -> None:
    """The API's own records reach the output (uvicorn gives the root logger no handler), redacted and,
    with LOG_FORMAT=json, structured: the same formatting as the Rasa and action servers (bot.logs)."""
    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(logging.StreamHandler())
    if root.level > logging.INFO or root.level == logging.NOTSET:
        root.setLevel(logging.INFO)
    for noisy in ("httpx", "twilio.http_client"):  # lines per outgoing request, headers included
        logging.getLogger(noisy).setLevel(logging.WARNING)
    logs.install()


@contextlib.asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Runs the WhatsApp sender beside the API when Twilio (or its local stand-in) is configured."""
    settings = get_settings()
    task = None
    if settings.whatsapp_enabled:
        app.state.sender = Sender(settings, _session_factory())
        task = asyncio.create_task(app.state.sender.run())
    yield
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def create_app() -> FastAPI:
    configure_logging()  # at import, so that uvicorn's own start-up lines are formatted too
    app = FastAPI(
        lifespan=lifespan,
        title="Inburgering assistant API",
        version="1.0.0",
        description="Case data of inburgeraars for the WhatsApp assistant and the staff pages.",
    )
    api = APIRouter(prefix=API_PREFIX)
    for module in (auth, assistant, gemeenten, staff, clients, groups, appointments, handoffs, whatsapp, audit,
                   translations, stats, safety):
        api.include_router(module.router)
    api.include_router(translations.assistant_router)
    app.include_router(api)
    app.state.throttle = throttle.Throttle.from_settings(get_settings())
    app.include_router(nlg.router)
    app.include_router(pages.router)
    app.include_router(safety_pages.router)  # before review_pages: its /review/{language}/{key} would match
    app.include_router(review_pages.router)
    app.include_router(inbox_pages.router)
    app.include_router(stats.page_router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, _: LoginRequired) -> Response:
        return pages.login_redirect(request)
    app.include_router(whatsapp.callbacks)

    app.middleware("http")(metrics.timing)
    app.add_middleware(SecurityHeaders)

    @app.get("/metrics", tags=["health"], response_class=PlainTextResponse)
    def read_metrics(session: SessionDep) -> str:
        """Prometheus text format: messages in/out, send failures, open hand-offs, request latency."""
        return metrics.render(session)

    @app.get("/health", tags=["health"])
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/ready", tags=["health"])
    def ready() -> JSONResponse:
        try:
            with get_engine().connect() as conn:
                conn.execute(text("SELECT 1"))
        except Exception:  # noqa: BLE001 - any database failure means not ready
            log.warning("database not reachable")
            return JSONResponse({"status": "database unavailable"}, status_code=503)
        return JSONResponse({"status": "ready"})

    @app.exception_handler(DomainError)
    async def domain_error(request: Request, exc: DomainError) -> Response:
        if is_page(request):
            return error_page(request, exc)
        return JSONResponse({"detail": exc.message}, status_code=exc.status_code)

    @app.exception_handler(IntegrityError)
    async def integrity_error(_: Request, exc: IntegrityError) -> JSONResponse:
        # A race past the service's own checks (e.g. two creates at once); the constraint held.
        log.info("integrity error: %s", type(exc.orig).__name__)
        return JSONResponse({"detail": "conflicts with existing data"}, status_code=409)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        # Echoing input back could leak phone numbers into client logs; give where and why only.
        errors = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
                  for e in exc.errors()]
        return JSONResponse({"detail": errors}, status_code=422)

    return app


app = create_app()
