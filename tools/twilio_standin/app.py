"""A local stand-in for Twilio, for demos and tests (nothing here runs in production).

- Twilio's REST API for sending messages (POST /2010-04-01/Accounts/{sid}/Messages.json), checked
  with HTTP basic auth like Twilio; every message is recorded, and a signed status callback (sent,
  delivered) goes to the StatusCallback URL, as Twilio does.
- A "local phone" (GET /phone): a WhatsApp-like chat page. What you type is sent to the assistant's
  webhook as Twilio would send it, signed with the twilio library, so the demo takes the real path.
- Controls for tests (/_standin/...): read and clear the recorded messages, make the next sends fail
  with 500 or 429, send a signed webhook.

    uvicorn tools.twilio_standin.app:app --port 8090   (settings: STANDIN_* environment variables)
"""

import asyncio
import base64
import os
import secrets
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel, Field
from twilio.request_validator import RequestValidator

ACCOUNT_SID = os.environ.get("STANDIN_ACCOUNT_SID", "ACdemo0000000000000000000000000000")
AUTH_TOKEN = os.environ.get("STANDIN_AUTH_TOKEN", "demo-twilio-auth-token")
WHATSAPP_FROM = os.environ.get("STANDIN_WHATSAPP_FROM", "whatsapp:+3197010000000")
# The assistant's webhook, as configured in Twilio (the signature is computed over this URL).
WEBHOOK_URL = os.environ.get("STANDIN_WEBHOOK_URL", "http://127.0.0.1:5005/webhooks/whatsapp/webhook")

app = FastAPI(title="Twilio stand-in (local)")
sent: list[dict[str, Any]] = []  # what the assistant sent, in order
received: list[dict[str, Any]] = []  # what the local phone sent
failures: list[int] = []  # HTTP statuses to answer the next sends with
outage: dict[str, float] = {"until": 0.0, "status": 503}  # every send fails until then (time.monotonic)
validator = RequestValidator(AUTH_TOKEN)
_tasks: set[asyncio.Task[None]] = set()


def _now() -> str:
    return datetime.now(UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")


def _check_auth(request: Request, account_sid: str) -> None:
    expected = "Basic " + base64.b64encode(f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode()
    if account_sid != ACCOUNT_SID or request.headers.get("authorization") != expected:
        raise HTTPException(401, {"code": 20003, "message": "Authenticate", "status": 401})


async def _status_callbacks(url: str, sid: str, to: str) -> None:
    async with httpx.AsyncClient(timeout=5) as client:
        for status in ("sent", "delivered"):
            await asyncio.sleep(0.05)
            form = {"MessageSid": sid, "MessageStatus": status, "To": to, "From": WHATSAPP_FROM,
                    "AccountSid": ACCOUNT_SID}
            signature = validator.compute_signature(url, form)
            try:
                await client.post(url, data=form, headers={"X-Twilio-Signature": signature})
            except httpx.HTTPError:
                return


@app.post("/2010-04-01/Accounts/{account_sid}/Messages.json", status_code=201)
async def create_message(request: Request, account_sid: str, To: str = Form(...),  # noqa: N803 - Twilio's names
                         From: str = Form(...), Body: str = Form(""),  # noqa: N803
                         StatusCallback: str | None = Form(None)) -> JSONResponse:  # noqa: N803
    _check_auth(request, account_sid)
    if failures or time.monotonic() < outage["until"]:
        status = failures.pop(0) if failures else int(outage["status"])
        return JSONResponse({"code": 20429 if status == 429 else 20500, "message": "stand-in failure",
                             "more_info": "", "status": status}, status_code=status)
    if not To.startswith("whatsapp:+"):
        return JSONResponse({"code": 21211, "message": "Invalid 'To' Phone Number", "status": 400},
                            status_code=400)
    sid = "SM" + secrets.token_hex(16)
    record = {"sid": sid, "account_sid": account_sid, "to": To, "from": From, "body": Body, "status": "queued",
              "date_created": _now(), "date_updated": _now(), "direction": "outbound-api", "num_segments": "1",
              "num_media": "0", "price": None, "error_code": None, "error_message": None,
              "uri": f"/2010-04-01/Accounts/{account_sid}/Messages/{sid}.json"}
    sent.append({**record, "received_at": datetime.now(UTC).timestamp()})
    if StatusCallback:
        task = asyncio.create_task(_status_callbacks(StatusCallback, sid, To))
        _tasks.add(task)
        task.add_done_callback(_tasks.discard)
    return JSONResponse(record, status_code=201)


@app.get("/_standin/messages")
def list_sent(to: str | None = None) -> list[dict[str, Any]]:
    return [m for m in sent if to is None or m["to"] == to]


@app.delete("/_standin/messages", status_code=204)
def clear() -> None:
    sent.clear()
    received.clear()


class FailNext(BaseModel):
    status: int = Field(ge=400, le=599)
    count: int = Field(default=1, ge=1, le=100)
    seconds: float = Field(default=0, ge=0, le=600)  # instead of a count: an outage this long


@app.post("/_standin/fail", status_code=204)
def fail_next(body: FailNext) -> None:
    """The next `count` sends fail with `status`; with `seconds`, every send does for that long."""
    if body.seconds:
        outage.update(until=time.monotonic() + body.seconds, status=body.status)
    else:
        failures.extend([body.status] * body.count)


class PhoneMessage(BaseModel):
    phone: str = Field(pattern=r"^\+[1-9]\d{6,14}$")
    body: str = Field(default="", max_length=20_000)
    media_type: str | None = None  # e.g. audio/ogg for a voice note


def webhook_form(message: PhoneMessage, sid: str | None = None) -> dict[str, str]:
    """The form Twilio posts for an inbound WhatsApp message."""
    form = {"MessageSid": sid or "SM" + secrets.token_hex(16), "AccountSid": ACCOUNT_SID,
            "From": f"whatsapp:{message.phone}", "To": WHATSAPP_FROM, "Body": message.body,
            "NumMedia": "1" if message.media_type else "0", "ProfileName": "Demo", "WaId": message.phone[1:],
            "SmsStatus": "received", "NumSegments": "1", "ApiVersion": "2010-04-01"}
    if message.media_type:
        form["MediaContentType0"] = message.media_type
        form["MediaUrl0"] = "http://127.0.0.1/media/not-kept"
    return form


@app.post("/phone/send")
async def phone_send(message: PhoneMessage) -> dict[str, Any]:
    form = webhook_form(message)
    signature = validator.compute_signature(WEBHOOK_URL, form)
    async with httpx.AsyncClient(timeout=20) as client:
        res = await client.post(WEBHOOK_URL, data=form, headers={"X-Twilio-Signature": signature})
    received.append({"phone": message.phone, "body": message.body, "sid": form["MessageSid"],
                     "at": datetime.now(UTC).timestamp()})
    return {"status": res.status_code, "sid": form["MessageSid"]}


@app.get("/phone/messages")
def phone_messages(phone: str) -> list[dict[str, Any]]:
    """The chat of one phone: what it sent and what the assistant answered, in time order."""
    mine = [{"from": "me", "body": m["body"], "at": m["at"]} for m in received if m["phone"] == phone]
    theirs = [{"from": "assistant", "body": m["body"], "at": m["received_at"]} for m in sent
              if m["to"] == f"whatsapp:{phone}"]
    return sorted(mine + theirs, key=lambda m: m["at"])


@app.get("/phone", response_class=HTMLResponse)
def phone_page() -> str:
    return (Path(__file__).parent / "phone.html").read_text(encoding="utf-8")


@app.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}
