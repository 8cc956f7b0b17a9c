"""Statistics of the assistant for consultants and admins: a JSON endpoint and a page."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from app.deps import SessionDep, StaffDep
from app.pages import PageActor, render
from app.services import stats

router = APIRouter(prefix="/stats", tags=["statistics"])
page_router = APIRouter(prefix="/stats", include_in_schema=False)


@router.get("", response_model=stats.Stats)
def read_stats(session: SessionDep, actor: StaffDep, days: int = 7) -> object:
    """Aggregates over the last 7, 30 or 90 days for the caller's gemeente (region admins: the region)."""
    return stats.assistant_stats(session, actor, days)


@page_router.get("", response_class=HTMLResponse)
def stats_page(request: Request, session: SessionDep, actor: PageActor, days: int = 7) -> Response:
    return render(request, "stats.html", actor, s=stats.assistant_stats(session, actor, days), periods=stats.PERIODS)
