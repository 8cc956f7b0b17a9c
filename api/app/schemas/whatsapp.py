from datetime import datetime

from pydantic import Field

from app.models.enums import Channel, Direction, MessageStatus
from app.schemas.common import DbId, Phone, Read, Strict


class InboundCreate(Strict):
    message_sid: str = Field(pattern=r"^[A-Za-z0-9]{10,64}$")
    phone: Phone
    body: str = Field(default="", max_length=20_000)
    num_media: int = Field(default=0, ge=0, le=100)
    media_kind: str | None = Field(default=None, max_length=40)


class InboundRecorded(Read):
    id: int
    new: bool


class TurnLease(Read):
    earlier: int  # the person's earlier messages not processed yet


class OutboundCreate(Strict):
    """A message for the outbox: the API's own (a consultant's reply, an apology) or one of a turn's."""

    phone: Phone
    body: str = Field(min_length=1, max_length=20_000)
    idempotency_key: str = Field(min_length=1, max_length=100)
    origin: Channel = Channel.assistant
    handoff_id: DbId | None = None
    # From the assistant: which responses this message holds (keys, space-separated, in order) and its Dutch
    # text (shown to consultants).
    response_key: str | None = Field(default=None, max_length=5_000)
    dutch: str | None = Field(default=None, max_length=20_000)


class TurnReply(Strict):
    body: str = Field(min_length=1, max_length=20_000)
    response_key: str | None = Field(default=None, max_length=100)
    dutch: str | None = Field(default=None, max_length=20_000)  # its Dutch text, shown to consultants
    notice: str | None = Field(default=None, max_length=1_000)  # the "not yet checked" line it opens with


class TurnCreate(Strict):
    """All replies the assistant gave to one inbound message, in order, by one run (processing) of it."""
    phone: Phone
    turn_sid: str = Field(pattern=r"^[A-Za-z0-9]{10,64}$")
    run: str = Field(min_length=8, max_length=32, pattern=r"^[A-Za-z0-9]+$")
    replies: list[TurnReply] = Field(min_length=1, max_length=50)


class MessageRead(Read):
    id: int
    direction: Direction
    message_sid: str | None
    idempotency_key: str | None
    phone: str
    body: str
    num_media: int
    media_kind: str | None
    origin: Channel
    response_key: str | None = None
    handoff_id: int | None = None
    status: MessageStatus
    attempts: int
    error: str | None
    created_at: datetime
    updated_at: datetime
