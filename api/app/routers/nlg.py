from typing import Any

from fastapi import APIRouter, Body

from app.deps import AssistantDep, SessionDep
from app.services import nlg

router = APIRouter(tags=["assistant"])


@router.post("/nlg")
def generate(actor: AssistantDep, session: SessionDep, body: dict[str, Any] = Body(...)) -> dict[str, Any]:
    """Rasa's NLG endpoint: render a response in the person's language."""
    return nlg.respond(session, body)
